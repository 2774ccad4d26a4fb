// MD5 for the WebCrypto peers (WebCrypto has none): node-forge's md5 module alone, not all of
// forge, so that their bundles carry only what the job needs.
import forgeMd5 from "node-forge/lib/md5.js";

export function md5(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return forgeMd5.create().update(binary).digest().toHex();
}
