// Shared by the peers that have no bundle splitter of their own: the base64 body of every
// CERTIFICATE block, and DER bytes from it (atob: the same in Node 20 and browsers).
const BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

export function pemBlocks(text) {
  return [...text.matchAll(BLOCK)].map((match) => match[0]);
}

export function base64Bodies(text) {
  return [...text.matchAll(BLOCK)].map((match) => match[1].replace(/\s+/g, ""));
}

export function derOf(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function hexOf(buffer) {
  const bytes = new Uint8Array(buffer);
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

export function iso(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
