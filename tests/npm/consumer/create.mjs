// createCa and createCertificate from the packed package, used by Node's own TLS (OpenSSL inside):
// the tunnel's server certificate serves hosts under the domain to a client trusting only the
// made CA, and a client certificate passes a server that requires the made CA. The material is
// made at the current time and judged by Node at the same moment, so the outcome is the same on
// any day. Controls: a host outside the domain, and a client certificate from another CA.
import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import tls from "node:tls";

import { createCa, createCertificate, CertcheckError } from "certcheck";

function handshake(serverOptions, clientOptions) {
  return new Promise((resolve) => {
    const server = tls.createServer(serverOptions, (socket) => socket.end("hello"));
    server.on("tlsClientError", () => {});
    server.listen(0, "127.0.0.1", () => {
      const socket = tls.connect({ port: server.address().port, host: "127.0.0.1", ...clientOptions });
      const done = (outcome) => {
        socket.destroy();
        server.close();
        resolve(outcome);
      };
      socket.on("secureConnect", () => {
        socket.once("data", () => done({ ok: socket.authorized, error: socket.authorizationError }));
        socket.once("end", () => done({ ok: false, error: "closed" }));
      });
      socket.on("error", (error) => done({ ok: false, error: error.code ?? error.message }));
    });
  });
}

for (const keyType of ["p256", "rsa2048"]) {
  const ca = createCa({ to: "anthropic-tunnel", keyType, passphrase: "pass phrase" });
  assert.equal(ca.check.verdict, "ok");
  assert.equal(ca.privateKeyEncrypted, true);
  assert.equal(ca.fingerprint, new X509Certificate(ca.certificate).fingerprint256.replaceAll(":", "").toLowerCase());
  // Node (OpenSSL) decrypts the key with the passphrase, and the key is the CA's.
  const caKey = createPrivateKey({ key: ca.privateKey, passphrase: "pass phrase" });
  assert.ok(new X509Certificate(ca.certificate).checkPrivateKey(caKey));
  const server = createCertificate({
    to: "anthropic-tunnel",
    ca: ca.certificate,
    caKey: ca.privateKey,
    caKeyPassphrase: "pass phrase",
    tunnelDomain: "tunnel.example.com",
    keyType,
  });
  assert.equal(server.kind, "server");
  assert.equal(server.verify.verdict, "ok");
  assert.ok(new X509Certificate(server.certificate).checkIssued(new X509Certificate(ca.certificate)));
  const served = { cert: server.certificate, key: server.privateKey };
  const inside = await handshake(served, { ca: ca.certificate, servername: "mcp.tunnel.example.com" });
  assert.deepEqual(inside, { ok: true, error: null }, `${keyType}: a host under the tunnel domain`);
  const outside = await handshake(served, { ca: ca.certificate, servername: "mcp.example.org" });
  assert.equal(outside.ok, false);
  assert.equal(outside.error, "ERR_TLS_CERT_ALTNAME_INVALID");
}

for (const to of ["cloudflare-access", "cloudflare-mtls"]) {
  const tunnelCa = createCa({ to: "anthropic-tunnel" });
  const server = createCertificate({ to: "anthropic-tunnel", ca: tunnelCa.certificate, caKey: tunnelCa.privateKey, tunnelDomain: "t.example.com" });
  const clientCa = createCa({ to, keyType: "p384" });
  const client = createCertificate({ to, ca: clientCa.certificate, caKey: clientCa.privateKey, name: "device 17", emails: ["ops@example.com"] });
  assert.equal(client.kind, "client");
  assert.equal(client.verify.verdict, "ok");
  const stranger = createCa({ to });
  const strangerClient = createCertificate({ to, ca: stranger.certificate, caKey: stranger.privateKey, name: "intruder" });
  const serverOptions = { cert: server.certificate, key: server.privateKey, ca: clientCa.certificate, requestCert: true, rejectUnauthorized: true };
  const mutual = await handshake(serverOptions, { ca: tunnelCa.certificate, servername: "api.t.example.com", cert: client.certificate, key: client.privateKey });
  assert.deepEqual(mutual, { ok: true, error: null }, `${to}: mutual TLS`);
  const refused = await handshake(serverOptions, { ca: tunnelCa.certificate, servername: "api.t.example.com", cert: strangerClient.certificate, key: strangerClient.privateKey });
  assert.equal(refused.ok, false, `${to}: a client certificate from another CA`);
}

assert.throws(() => createCa({ to: "anthropic-tunnel", keyType: "ed25519" }), (error) => error instanceof CertcheckError && error.code === "cert.key_algorithm");
assert.throws(() => createCa({ to: "cloudflare-gateway" }), (error) => error instanceof CertcheckError && error.code === "new.destination");
console.log("createCa/createCertificate: Node TLS accepts what certcheck made (server by name, mutual TLS) and refuses the controls");
