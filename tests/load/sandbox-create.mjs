// Load on the sandbox's create endpoints over loopback (run by `cargo xtask load`): N requests per
// endpoint at a fixed concurrency with keep-alive, then the stored certificates are counted
// through the list endpoints and in the state file. Prints requests/s and latency percentiles.
// Usage: node sandbox-create.mjs BASE_URL STATE_FILE [REQUESTS] [CONCURRENCY]
import { readFileSync } from "node:fs";

const [base, stateFile, total = "2000", concurrency = "32"] = process.argv.slice(2);
const N = Number(total);
const C = Number(concurrency);
const pem = readFileSync(new URL("../data/anthropic/good-ec-p256-ca.pem", import.meta.url), "utf8");
const auth = { authorization: "Bearer load-test", "content-type": "application/json", "anthropic-beta": "mcp-tunnels-2026-06-22" };

const scenarios = [
  {
    name: "Anthropic POST /v1/tunnels/{id}/certificates",
    request: (i) => [`/api/anthropic/v1/tunnels/tnl_load${i}/certificates`, JSON.stringify({ ca_certificate_pem: pem })],
  },
  {
    name: "Cloudflare POST /accounts/{id}/mtls_certificates",
    request: (i) => [`/api/cloudflare/accounts/load${i}/mtls_certificates`, JSON.stringify({ ca: true, certificates: pem })],
  },
  {
    name: "Cloudflare POST /accounts/{id}/gateway/certificates",
    request: () => ["/api/cloudflare/accounts/loadgw/gateway/certificates", JSON.stringify({ validity_period_days: 30 })],
  },
];

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const results = [];
for (const scenario of scenarios) {
  const latencies = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) {
        const i = next++;
        const [path, body] = scenario.request(i);
        const t = performance.now();
        const response = await fetch(base + path, { method: "POST", headers: auth, body });
        await response.arrayBuffer();
        latencies.push(performance.now() - t);
        if (response.status !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  results.push({
    scenario: scenario.name,
    requests: N,
    failures,
    rps: Math.round(N / seconds),
    p50: percentile(latencies, 50).toFixed(1),
    p99: percentile(latencies, 99).toFixed(1),
  });
}

// Count what was stored: through the API and in the state file.
let gateway = 0;
for (let page = 1; ; page++) {
  const r = await (await fetch(`${base}/api/cloudflare/accounts/loadgw/gateway/certificates?per_page=50&page=${page}`, { headers: auth })).json();
  gateway += r.result.length;
  if (page >= r.result_info.total_pages) break;
}
const state = JSON.parse(readFileSync(stateFile, "utf8"));
const stored = {
  tunnel_certificates: state.tunnel_certificates.length,
  mtls_certificates: state.mtls_certificates.length,
  gateway_certificates: state.gateway_certificates.length,
  gateway_listed: gateway,
};
console.table(results);
console.log("stored afterwards:", JSON.stringify(stored));
const expected = N;
const ok =
  results.every((r) => r.failures === 0) &&
  stored.tunnel_certificates === expected &&
  stored.mtls_certificates === expected &&
  stored.gateway_certificates === expected &&
  stored.gateway_listed === expected;
console.log(ok ? `every one of the ${3 * N} creates is stored exactly once` : "MISMATCH: something was lost or duplicated");
process.exit(ok ? 0 : 1);
