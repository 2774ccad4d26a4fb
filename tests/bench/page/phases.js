// The first `check` after import, phase by phase, with the lean module's own files (what
// npm/browser.js does at import, each step timed): the embedded text decoded from base64, the
// gzip member decompressed (DecompressionStream), the module compiled (WebAssembly.compile),
// instantiated (the glue's initSync), then `check` of one certificate five times in a row: the
// first call runs in the baseline tier, the later ones show how soon the optimizing tier takes
// over. With ?warmup=1 a check of another certificate (a P-256 CA, not the one measured) runs
// right after instantiation and is timed on its own: whether a warm-up at import would make the
// user's first check cheaper.
const params = new URL(location.href).searchParams;
const warmup = params.get("warmup") === "1";
const now = () => performance.now();
const [lean, data, unpack, one, other] = await Promise.all([
  import("/pkg/certcheck_wasm.js"),
  import("/pkg/certcheck_wasm_data.js"),
  import("/pkg/unpack.js"),
  fetch("/one.pem").then((r) => r.text()),
  fetch("/warm.pem").then((r) => r.text()),
]);
const out = { warmup };
let began = now();
const gzip = unpack.fromBase64(data.default);
out.decodeMs = now() - began;
began = now();
const stream = new Blob([gzip]).stream().pipeThrough(new DecompressionStream("gzip"));
const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
out.gunzipMs = now() - began;
began = now();
const module = await WebAssembly.compile(bytes);
out.compileMs = now() - began;
began = now();
lean.initSync({ module });
out.instantiateMs = now() - began;
if (warmup) {
  began = now();
  lean.check(other, { to: "cloudflare-access" });
  out.warmupMs = now() - began;
}
out.checkMs = [];
for (let i = 0; i < 5; i += 1) {
  began = now();
  lean.check(one, { to: "cloudflare-access" });
  out.checkMs.push(now() - began);
}
const result = document.getElementById("result");
result.textContent = JSON.stringify(out);
result.hidden = false;
