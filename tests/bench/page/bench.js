// Times the npm package's browser entry in a plain page: the dynamic import covers fetching
// the JS and the wasm, compiling and instantiating it (the entry awaits init at top level);
// then `check` on the bundle the harness serves at /bundle.pem, several times.
const runs = Number(new URL(location.href).searchParams.get("runs") ?? "9");
const begun = performance.now();
const certcheck = await import("/pkg/browser.js");
const instantiateMs = performance.now() - begun;
const bundle = await (await fetch("/bundle.pem")).text();
const checkMs = [];
let certificates = 0;
for (let i = 0; i < runs; i += 1) {
  const start = performance.now();
  const report = certcheck.check(bundle, { to: "cloudflare-access" });
  checkMs.push(performance.now() - start);
  certificates = report.certificates.length;
}
const result = document.getElementById("result");
result.textContent = JSON.stringify({ instantiateMs, checkMs, certificates });
result.hidden = false;
