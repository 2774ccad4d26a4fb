// Shared by the bench scripts: `--name value` options, median/min/max of a sample, and the
// loopback server their browser pages load from.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";

export function option(args, name, fallback) {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}

export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".pem": "text/plain" };

/**
 * Serves files on loopback, never cached: `/pkg/…` from `packageDir` (the npm package under test),
 * any other path from the file `route(path)` names (nothing: 404). Resolves to the server and its
 * base URL (`http://127.0.0.1:PORT/`).
 */
export async function servePages(packageDir, route) {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname));
    const file = path.startsWith("/pkg/") && !path.includes("..") ? join(packageDir, path.slice("/pkg/".length)) : route(path);
    try {
      const body = readFileSync(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}
