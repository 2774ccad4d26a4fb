// node-forge: its own PEM decoder gives the DER, certificateFromPem parses (RSA keys only:
// it throws on ECDSA certificates), forge.md hashes.
import forge from "node-forge";
import { iso, pemBlocks } from "./common.mjs";

export function job(text) {
  return pemBlocks(text).map((pem) => {
    const der = forge.pem.decode(pem)[0].body;
    const certificate = forge.pki.certificateFromPem(pem);
    const constraints = certificate.getExtension("basicConstraints");
    return {
      subject: certificate.subject.attributes.map((a) => `${a.shortName ?? a.type}=${a.value}`).join(","),
      notAfter: iso(certificate.validity.notAfter),
      isCA: Boolean(constraints && constraints.cA),
      sha256: forge.md.sha256.create().update(der).digest().toHex(),
      md5: forge.md.md5.create().update(der).digest().toHex(),
    };
  });
}
