// pkijs + asn1js with WebCrypto: DER from the shared splitter, SHA-256 by crypto.subtle, MD5 by
// node-forge's md5 module (WebCrypto has none; jobs/md5.mjs).
import * as pkijs from "pkijs";
import { base64Bodies, derOf, hexOf, iso } from "./common.mjs";
import { md5 } from "./md5.mjs";

export async function job(text) {
  return Promise.all(
    base64Bodies(text).map(async (body) => {
      const der = derOf(body);
      const certificate = pkijs.Certificate.fromBER(der);
      const subject = certificate.subject.typesAndValues
        .map((pair) => `${pair.type}=${pair.value.valueBlock.value}`)
        .join(",");
      const constraints = (certificate.extensions ?? []).find((e) => e.extnID === "2.5.29.19");
      return {
        subject,
        notAfter: iso(certificate.notAfter.value),
        isCA: Boolean(constraints && constraints.parsedValue && constraints.parsedValue.cA),
        sha256: hexOf(await crypto.subtle.digest("SHA-256", der)),
        md5: md5(der),
      };
    }),
  );
}
