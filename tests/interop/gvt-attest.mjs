// gvt-attest.mjs: gvt-attestation/1 (docs/formats.md#attestations) written
// independently of
// govtally, with Node's built-in crypto only: Ed25519 keys from a 32-byte
// seed, the canonical message, signing, verification, and the attestation
// id (BLAKE2b-256, written out here from RFC 7693 because Node's crypto only
// offers BLAKE2b-512, whose output is not a prefix of BLAKE2b-256's).
import crypto from 'node:crypto';

// PKCS#8 and SPKI prefixes of a raw Ed25519 key (RFC 8410).
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');

export function keyFromSeed(seedHex) {
  const priv = crypto.createPrivateKey({
    key: Buffer.concat([PKCS8, Buffer.from(seedHex, 'hex')]),
    format: 'der', type: 'pkcs8',
  });
  const pub = crypto.createPublicKey(priv)
    .export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  return { priv, pub, seed: seedHex };
}

// A deterministic seed from a label: SHA-256("gvt-fixture-seed:" + label).
export function seedFor(label) {
  return crypto.createHash('sha256').update('gvt-fixture-seed:' + label)
    .digest('hex');
}

export function message(a) {
  return 'gvt-attestation/1\n' +
    `issuer=${a.issuer.toLowerCase()}\n` +
    `subject=${a.subject.toLowerCase()}\n` +
    `nullifier=${a.nullifier.toLowerCase()}\n` +
    `scope=${a.scope}\n` +
    `issued_at=${a.issued_at}\n` +
    `expires_at=${a.expires_at}\n` +
    `weight=${a.weight}\n`;
}

export function sign(key, fields) {
  const a = { v: 1, issuer: key.pub, expires_at: 0, weight: '1', ...fields };
  const sig = crypto.sign(null, Buffer.from(message(a)), key.priv);
  return { v: 1, issuer: a.issuer, subject: a.subject,
           nullifier: a.nullifier, scope: a.scope, issued_at: a.issued_at,
           expires_at: a.expires_at, weight: a.weight,
           sig: sig.toString('hex') };
}

export function verify(a) {
  const pub = crypto.createPublicKey({
    key: Buffer.concat([SPKI, Buffer.from(a.issuer, 'hex')]),
    format: 'der', type: 'spki',
  });
  return crypto.verify(null, Buffer.from(message(a)), pub,
                       Buffer.from(a.sig, 'hex'));
}

// ---- BLAKE2b (RFC 7693), unkeyed, any output length up to 64 ----------
const M64 = (1n << 64n) - 1n;
const IV = [0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn,
            0xa54ff53a5f1d36f1n, 0x510e527fade682d1n, 0x9b05688c2b3e6c1fn,
            0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n];
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0]];
const rotr = (x, n) => ((x >> n) | (x << (64n - n))) & M64;

function compress(h, block, t, last) {
  const m = [];
  for (let i = 0; i < 16; i++) m.push(block.readBigUInt64LE(8 * i));
  const v = [...h, ...IV];
  v[12] ^= t & M64;
  v[13] ^= t >> 64n;
  if (last) v[14] ^= M64;
  const G = (a, b, c, d, x, y) => {
    v[a] = (v[a] + v[b] + x) & M64; v[d] = rotr(v[d] ^ v[a], 32n);
    v[c] = (v[c] + v[d]) & M64;     v[b] = rotr(v[b] ^ v[c], 24n);
    v[a] = (v[a] + v[b] + y) & M64; v[d] = rotr(v[d] ^ v[a], 16n);
    v[c] = (v[c] + v[d]) & M64;     v[b] = rotr(v[b] ^ v[c], 63n);
  };
  for (let r = 0; r < 12; r++) {
    const s = SIGMA[r % 10];
    G(0, 4, 8, 12, m[s[0]], m[s[1]]);
    G(1, 5, 9, 13, m[s[2]], m[s[3]]);
    G(2, 6, 10, 14, m[s[4]], m[s[5]]);
    G(3, 7, 11, 15, m[s[6]], m[s[7]]);
    G(0, 5, 10, 15, m[s[8]], m[s[9]]);
    G(1, 6, 11, 12, m[s[10]], m[s[11]]);
    G(2, 7, 8, 13, m[s[12]], m[s[13]]);
    G(3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (let i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
}

export function blake2b(data, outLen = 32) {
  const h = [...IV];
  h[0] ^= 0x01010000n ^ BigInt(outLen);
  const n = data.length;
  const blocks = Math.max(1, Math.ceil(n / 128));
  for (let b = 0; b < blocks; b++) {
    const block = Buffer.alloc(128);
    data.copy(block, 0, 128 * b, Math.min(n, 128 * (b + 1)));
    const last = b === blocks - 1;
    compress(h, block, BigInt(last ? n : 128 * (b + 1)), last);
  }
  const out = Buffer.alloc(64);
  h.forEach((x, i) => out.writeBigUInt64LE(x, 8 * i));
  return out.subarray(0, outLen);
}

export function attestationId(a) {
  return blake2b(Buffer.from(message(a))).toString('hex');
}
