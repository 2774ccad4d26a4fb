// jsrsasign: X509 reads one PEM certificate; its own hashHex does SHA-256 and MD5 of the DER.
import jsrsasign from "jsrsasign";
import { pemBlocks } from "./common.mjs";

const { X509, KJUR } = jsrsasign;

/** jsrsasign's `YYMMDDhhmmssZ` / `YYYYMMDDhhmmssZ` → ISO 8601. */
function isoOf(time) {
  const full = time.length === 13 ? `${Number(time.slice(0, 2)) < 50 ? "20" : "19"}${time}` : time;
  return `${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}T${full.slice(8, 10)}:${full.slice(10, 12)}:${full.slice(12, 14)}Z`;
}

export function job(text) {
  return pemBlocks(text).map((pem) => {
    const certificate = new X509();
    certificate.readCertPEM(pem);
    const constraints = certificate.getExtBasicConstraints();
    return {
      subject: certificate.getSubjectString(),
      notAfter: isoOf(certificate.getNotAfter()),
      isCA: Boolean(constraints && constraints.cA),
      sha256: KJUR.crypto.Util.hashHex(certificate.hex, "sha256"),
      md5: KJUR.crypto.Util.hashHex(certificate.hex, "md5"),
    };
  });
}
