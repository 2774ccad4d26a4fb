// Node's native, OpenSSL-backed X509Certificate (not available in browsers): the reference.
import { X509Certificate, createHash } from "node:crypto";
import { iso, pemBlocks } from "./common.mjs";

export function job(text) {
  return pemBlocks(text).map((pem) => {
    const certificate = new X509Certificate(pem);
    return {
      subject: certificate.subject,
      notAfter: iso(new Date(certificate.validTo)),
      isCA: certificate.ca,
      sha256: createHash("sha256").update(certificate.raw).digest("hex"),
      md5: createHash("md5").update(certificate.raw).digest("hex"),
    };
  });
}
