// Starts the dashboard. A file (not an inline script) so the server's CSP can stay
// script-src 'self' 'wasm-unsafe-eval'.
import init from "./certcheck-web.js";

const boot = document.getElementById("boot");
init()
  .then(() => boot?.remove())
  .catch((error) => {
    if (boot) {
      boot.textContent = `certcheck could not start: ${error}`;
      boot.setAttribute("role", "alert");
    }
  });
