// Times the npm package's browser entry in a plain page. The dynamic import covers fetching the
// JS and the lean wasm, compiling and instantiating it (the entry awaits init at top level).
// Then, with the lean module: the first `check` of one certificate (what a page does first),
// and `check` on the bundle the harness serves at /bundle.pem, several times. Then
// `await load()` (the full module), and `check` on the bundle again: the first call verifies
// every signature, the later ones find them remembered.
const runs = Number(new URL(location.href).searchParams.get("runs") ?? "9");
const time = (work) => {
  const start = performance.now();
  const value = work();
  return [performance.now() - start, value];
};
const begun = performance.now();
const certcheck = await import("/pkg/browser.js");
const instantiateMs = performance.now() - begun;
const one = await (await fetch("/one.pem")).text();
const bundle = await (await fetch("/bundle.pem")).text();
const options = { to: "cloudflare-access" };
const [firstCheckMs] = time(() => certcheck.check(one, options));
const checkMs = [];
let certificates = 0;
for (let i = 0; i < runs; i += 1) {
  const [ms, report] = time(() => certcheck.check(bundle, options));
  checkMs.push(ms);
  certificates = report.certificates.length;
}
const loadBegun = performance.now();
await certcheck.load();
const loadMs = performance.now() - loadBegun;
const [fullFirstMs, fullReport] = time(() => certcheck.check(bundle, options));
const fullMs = [];
for (let i = 0; i < runs; i += 1) fullMs.push(time(() => certcheck.check(bundle, options))[0]);
const verified = fullReport.certificates.filter((c) => c.verified_by !== null).length;
const result = document.getElementById("result");
result.textContent = JSON.stringify({ instantiateMs, firstCheckMs, checkMs, certificates, loadMs, fullFirstMs, fullMs, verified });
result.hidden = false;
