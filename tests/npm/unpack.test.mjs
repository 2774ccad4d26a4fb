// The package's inflater (npm/unpack.js: base64 text of a gzip member → bytes), which a browser
// uses when the first call comes before the background decompression is done, against zlib:
// every deflate block type and strategy, empty, incompressible and repetitive inputs, both
// embedded modules as built, and corrupt input refused.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { gunzipSync, gzipSync, constants } from "node:zlib";

const api = process.env.CERTCHECK_API ?? new URL("../../target/npm/certcheck/api.js", import.meta.url).pathname;
const dir = dirname(api);
const { unpack } = await import(join(dir, "unpack.js"));
const embedded = async (name) => gunzipSync(Buffer.from((await import(join(dir, `${name}_data.js`))).default, "base64"));

const inputs = {
  empty: Buffer.alloc(0),
  random: randomBytes(70_000),
  repeated: Buffer.from("certcheck ".repeat(20_000)),
  zeros: Buffer.alloc(100_000),
  lean: await embedded("certcheck_wasm"),
  full: await embedded("certcheck_full"),
};
const strategies = {
  default: constants.Z_DEFAULT_STRATEGY,
  fixed: constants.Z_FIXED,
  huffman: constants.Z_HUFFMAN_ONLY,
  rle: constants.Z_RLE,
};

for (const [name, bytes] of Object.entries(inputs)) {
  test(`${name}: every level and strategy gives the bytes back`, () => {
    for (const strategy of Object.values(strategies)) {
      for (const level of [0, 1, 6, 9]) {
        const out = unpack(gzipSync(bytes, { level, strategy }).toString("base64"));
        assert.ok(Buffer.from(out).equals(bytes), `level ${level}, strategy ${strategy}`);
      }
    }
  });
}

test("the embedded modules as shipped", async () => {
  for (const name of ["certcheck_wasm", "certcheck_full"]) {
    const text = (await import(join(dir, `${name}_data.js`))).default;
    assert.ok(Buffer.from(unpack(text)).equals(gunzipSync(Buffer.from(text, "base64"))));
    assert.ok(WebAssembly.validate(unpack(text)));
  }
});

test("corrupt input is refused", () => {
  const gzip = gzipSync(inputs.lean, { level: 9 });
  const truncated = gzip.subarray(0, gzip.length >> 1);
  const flipped = Buffer.from(gzip);
  flipped[200] ^= 0xff;
  const wrongSize = Buffer.from(gzip);
  wrongSize[wrongSize.length - 1] ^= 0x01;
  const wrongCrc = Buffer.from(gzip);
  wrongCrc[wrongCrc.length - 8] ^= 0x01;
  for (const bad of [Buffer.from("not gzip at all"), truncated, flipped, wrongSize, wrongCrc]) {
    assert.throws(() => unpack(bad.toString("base64")));
  }
});
