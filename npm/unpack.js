// The wasm modules travel inside the JavaScript (certcheck_*_data.js, written by
// `cargo xtask dist npm`): base64 text of a gzip member. This turns that text back into the
// module's bytes, synchronously (DecompressionStream is asynchronous) and without a dependency:
// a plain inflate after RFC 1951, gzip's header, length and CRC-32 after RFC 1952. Embedded so, the
// package needs no asset URL (which esbuild, Rollup and Vite's dev pre-bundling do not follow)
// and ships no more bytes over gzip than the .wasm itself would (base64 of gzip, gzipped again,
// is within 1 % of the gzipped .wasm; base64 of the raw .wasm would be 37 % more).

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193,
  12289, 16385, 24577,
];
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function corrupt() {
  return new Error("certcheck: the embedded WebAssembly module is corrupt (the package's files were altered)");
}

/** The bytes of a module embedded as base64 text of a gzip member. */
export function unpack(text) {
  return gunzip(fromBase64(text));
}

/** The bytes a gzip member holds. */
export function gunzip(input) {
  const n = input.length;
  if (n < 18 || input[0] !== 0x1f || input[1] !== 0x8b || input[2] !== 8) throw corrupt();
  const flags = input[3];
  let at = 10;
  if (flags & 4) at += 2 + (input[at] | (input[at + 1] << 8));
  if (flags & 8) while (at < n && input[at++] !== 0);
  if (flags & 16) while (at < n && input[at++] !== 0);
  if (flags & 2) at += 2;
  const word = (i) => (input[i] | (input[i + 1] << 8) | (input[i + 2] << 16) | (input[i + 3] << 24)) >>> 0;
  const size = word(n - 4);
  const output = new Uint8Array(size);
  if (inflate(input, at, n - 8, output) !== size || crc32(output) !== word(n - 8)) throw corrupt();
  return output;
}

let crcTable = null;

/** CRC-32 (ISO-HDLC), as gzip's trailer holds it. */
function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** The bytes base64 `text` spells. */
export function fromBase64(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Codes up to this many bits long are decoded by one table lookup; longer ones bit by bit. */
const FAST = 10;

/** A canonical Huffman code from code lengths: how many codes of each length, the symbols in code
 * order, and a table from the next FAST bits (least significant first, as they arrive) to
 * `symbol << 4 | length` for the codes that short (0: a longer code). */
function huffman(lengths, start, count) {
  const counts = new Uint16Array(16);
  const symbols = new Uint16Array(count);
  const offsets = new Uint16Array(16);
  for (let i = 0; i < count; i++) counts[lengths[start + i]]++;
  counts[0] = 0;
  for (let length = 1, sum = 0; length < 16; length++) {
    offsets[length] = sum;
    sum += counts[length];
  }
  for (let i = 0; i < count; i++) {
    const length = lengths[start + i];
    if (length) symbols[offsets[length]++] = i;
  }
  const fast = new Uint16Array(1 << FAST);
  for (let length = 1, code = 0, k = 0; length <= FAST; length++, code <<= 1) {
    for (let j = 0; j < counts[length]; j++, code++, k++) {
      let reversed = 0;
      for (let b = 0; b < length; b++) reversed |= ((code >> b) & 1) << (length - 1 - b);
      for (let r = reversed; r < 1 << FAST; r += 1 << length) fast[r] = (symbols[k] << 4) | length;
    }
  }
  return { counts, symbols, fast };
}

let fixed = null;

function fixedCodes() {
  if (fixed) return fixed;
  const lengths = new Uint8Array(288 + 30);
  lengths.fill(8, 0, 144);
  lengths.fill(9, 144, 256);
  lengths.fill(7, 256, 280);
  lengths.fill(8, 280, 288);
  lengths.fill(5, 288);
  fixed = [huffman(lengths, 0, 288), huffman(lengths, 288, 30)];
  return fixed;
}

/** Inflates the deflate stream in `input[start..end)` into `output`; returns how many bytes it
 * produced. Throws when the stream is corrupt or would write more than `output` holds. */
function inflate(input, start, end, output) {
  let at = start;
  let bits = 0; // bits read ahead, least significant first
  let held = 0; // how many (at most 23); past `end` they are zeros, and reading them is an error
  let written = 0;
  const fill = () => {
    // Read-ahead past the end is at most 2 bytes; more means the stream claims data it lacks.
    if (at > end + 2) throw corrupt();
    while (held < 16) {
      bits |= (at < end ? input[at] : 0) << held;
      at++;
      held += 8;
    }
  };
  const take = (count) => {
    fill();
    const value = bits & ((1 << count) - 1);
    bits >>>= count;
    held -= count;
    return value;
  };
  const decode = ({ counts, symbols, fast }) => {
    fill();
    const entry = fast[bits & ((1 << FAST) - 1)];
    if (entry) {
      const length = entry & 15;
      bits >>>= length;
      held -= length;
      return entry >> 4;
    }
    // Huffman codes are packed most significant bit first: the rest one bit at a time (puff's way).
    let code = 0;
    let first = 0;
    let index = 0;
    for (let length = 1; length < 16; length++) {
      code |= bits & 1;
      bits >>>= 1;
      held--;
      const count = counts[length];
      if (code - first < count) return symbols[index + code - first];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw corrupt();
  };
  const lengths = new Uint8Array(288 + 32);
  let last = 0;
  do {
    last = take(1);
    const type = take(2);
    if (type === 0) {
      // Stored: the rest of the current byte is padding; whole bytes read ahead are given back.
      at -= held >> 3;
      bits = 0;
      held = 0;
      if (at + 4 > end) throw corrupt();
      const length = input[at] | (input[at + 1] << 8);
      at += 4;
      if (at + length > end || written + length > output.length) throw corrupt();
      output.set(input.subarray(at, at + length), written);
      at += length;
      written += length;
      continue;
    }
    let literals;
    let distances;
    if (type === 1) {
      [literals, distances] = fixedCodes();
    } else if (type === 2) {
      const literalCount = take(5) + 257;
      const distanceCount = take(5) + 1;
      const codeLengthCount = take(4) + 4;
      lengths.fill(0);
      for (let i = 0; i < codeLengthCount; i++) lengths[CODE_LENGTH_ORDER[i]] = take(3);
      const codeLengths = huffman(lengths, 0, 19);
      lengths.fill(0);
      const total = literalCount + distanceCount;
      for (let i = 0; i < total; ) {
        const symbol = decode(codeLengths);
        if (symbol < 16) {
          lengths[i++] = symbol;
          continue;
        }
        let repeat;
        let value = 0;
        if (symbol === 16) {
          if (i === 0) throw corrupt();
          value = lengths[i - 1];
          repeat = 3 + take(2);
        } else if (symbol === 17) {
          repeat = 3 + take(3);
        } else {
          repeat = 11 + take(7);
        }
        if (i + repeat > total) throw corrupt();
        lengths.fill(value, i, i + repeat);
        i += repeat;
      }
      literals = huffman(lengths, 0, literalCount);
      distances = huffman(lengths, literalCount, distanceCount);
    } else {
      throw corrupt();
    }
    for (;;) {
      let symbol = decode(literals);
      if (symbol < 256) {
        if (written >= output.length) throw corrupt();
        output[written++] = symbol;
      } else if (symbol === 256) {
        break;
      } else {
        symbol -= 257;
        if (symbol >= 29) throw corrupt();
        let length = LENGTH_BASE[symbol] + take(LENGTH_EXTRA[symbol]);
        const code = decode(distances);
        if (code >= 30) throw corrupt();
        const distance = DISTANCE_BASE[code] + take(DISTANCE_EXTRA[code]);
        if (distance > written || written + length > output.length) throw corrupt();
        for (; length > 0; length--, written++) output[written] = output[written - distance];
      }
    }
  } while (!last);
  if (at - (held >> 3) > end) throw corrupt();
  return written;
}
