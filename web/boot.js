// Starts the dashboard. A file (not an inline script) so the server's CSP can stay
// script-src 'self' 'wasm-unsafe-eval'. The JS glue and the wasm are named after their content's
// hash; Trunk writes their names into index.html as two preload links (Trunk.toml
// pattern_preload), which this reads: the downloads have started before this file runs.
const boot = document.getElementById("boot");
const href = (kind) => document.querySelector(`link[data-certcheck="${kind}"]`)?.href;

async function start() {
  const glue = href("js");
  const wasm = href("wasm");
  if (!glue || !wasm) throw new Error("index.html does not name the app's files");
  const { default: init } = await import(glue);
  await init({ module_or_path: wasm });
}

start()
  .then(() => boot?.remove())
  .catch((error) => {
    if (boot) {
      boot.textContent = `certcheck could not start: ${error}`;
      boot.setAttribute("role", "alert");
    }
  });
