// @peculiar/x509 with WebCrypto: SHA-256 by crypto.subtle; WebCrypto has no MD5, so MD5 comes
// from node-forge's md5 module (jobs/md5.mjs).
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { X509Certificate, BasicConstraintsExtension } from "@peculiar/x509";
import { hexOf, iso, pemBlocks } from "./common.mjs";
import { md5 } from "./md5.mjs";

export async function job(text) {
  return Promise.all(
    pemBlocks(text).map(async (pem) => {
      const certificate = new X509Certificate(pem);
      const raw = new Uint8Array(certificate.rawData);
      const constraints = certificate.getExtension(BasicConstraintsExtension);
      return {
        subject: certificate.subject,
        notAfter: iso(certificate.notAfter),
        isCA: Boolean(constraints && constraints.ca),
        sha256: hexOf(await crypto.subtle.digest("SHA-256", raw)),
        md5: md5(raw),
      };
    }),
  );
}
