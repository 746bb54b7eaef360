#!/usr/bin/env node
// eip712.mjs: govtally's EIP-712 attestations (records of v 2) against
// ethers 6, the `eth_interop` test.
//
//   1. ethers signs: attestations signed by two trusted accounts (one named in
//      the trust file in lower case, one with its checksum) are accepted;
//      copies tampered after signing, signed over another domain (another
//      version, a chain id added), made malleable (high s), with v changed,
//      claiming a trusted issuer but signed by another account, and signed by
//      an untrusted account are refused under the reason built in here.
//   2. govtally signs: `attest keygen --type eth` prints the address ethers
//      derives from the key file; every record of `attest sign` verifies with
//      ethers' verifyTypedData, and its id is ethers' TypedDataEncoder.hash.
//   3. docs/identity.md's worked example: every value recomputed by ethers,
//      and the record shown is what `attest sign` writes.
//
// Expected outcomes come from how each record is made here, never from
// govtally's output. usage: eip712.mjs GOVTALLY WORKDIR REPO_ROOT
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ethers } from 'ethers';
// ethers refuses high-s signatures outright; noble (ethers' own curve
// library) recovers from any, which shows the twin is a real signature.
import { secp256k1 } from '@noble/curves/secp256k1';
import { govtally, scratch } from '../lib/cli.mjs';

const [gt, work, root] = process.argv.slice(2);
const file = scratch(work);
const run = govtally(gt);

const DOMAIN = { name: 'govtally attestation', version: '1' };
const TYPES = {
  Attestation: [
    { name: 'issuer', type: 'address' }, { name: 'subject', type: 'string' },
    { name: 'nullifier', type: 'bytes32' }, { name: 'scope', type: 'string' },
    { name: 'issuedAt', type: 'uint64' }, { name: 'expiresAt', type: 'uint64' },
    { name: 'weight', type: 'string' }],
};
const N = ethers.toBigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
const wallet = (label) => new ethers.Wallet(ethers.id(`gvt eth interop ${label}`));
const hex32 = (label) => ethers.id(label);

// The typed message of a record (the record's nullifier has no 0x).
const message = (r) => ({
  issuer: r.issuer, subject: r.subject, nullifier: '0x' + r.nullifier,
  scope: r.scope, issuedAt: r.issued_at, expiresAt: r.expires_at, weight: r.weight,
});

async function signed(w, fields, domain = DOMAIN) {
  const r = { v: 2, issuer: w.address, ...fields };
  r.sig = await w.signTypedData(domain, TYPES, message(r));
  return r;
}

function withSig(r, f) {
  const s = ethers.Signature.from(r.sig);
  const parts = f({ r: s.r, s: ethers.toBigInt(s.s), v: s.v });
  const hexS = ethers.toBeHex(parts.s, 32).slice(2);
  return { ...r, sig: parts.r + hexS + parts.v.toString(16).padStart(2, '0') };
}

const zero = () => Object.fromEntries(
  ['duplicate', 'unused', 'untrusted-issuer', 'bad-signature', 'issuer-window', 'revoked',
    'wrong-scope', 'not-yet-valid', 'expired', 'conflict', 'wrong-schema'].map((k) => [k, 0]));

async function ethersSigns() {
  const a = wallet('A'), b = wallet('B'), stranger = wallet('stranger');
  const base = (i) => ({
    subject: i % 3 === 0 ? ethers.getAddress(ethers.dataSlice(hex32(`subject ${i}`), 12))
      : i % 3 === 1 ? ethers.dataSlice(hex32(`subject ${i}`), 12)
        : hex32(`long subject ${i}`), // 64 hex digits
    nullifier: hex32(`human ${i}`).slice(2),
    scope: i % 2 ? 'ens.eth' : '*', issued_at: 1700000000 + i, expires_at: i % 2 ? 0 : 1800000000,
    weight: ['1', '0.5', '0.25', '0.000001'][i % 4],
  });
  const good = [];
  for (let i = 0; i < 8; i++) good.push(await signed(i % 2 ? a : b, base(i)));
  const expect = { read: 0, valid: good.length, rejected: zero() };
  const bad = [];
  const refuse = (r, reason) => { bad.push(r); expect.rejected[reason]++; };
  refuse({ ...good[0], weight: '0.5' }, 'bad-signature');            // tampered weight
  refuse({ ...good[1], scope: 'other.eth' }, 'bad-signature');       // tampered scope
  refuse({ ...good[2], subject: good[2].subject.toLowerCase() === good[2].subject
    ? good[2].subject.toUpperCase().replace('0X', '0x') : good[2].subject.toLowerCase() },
  'bad-signature');                                                  // subject's case changed
  refuse({ ...good[3], issued_at: good[3].issued_at + 1 }, 'bad-signature');
  refuse(await signed(a, base(10), { ...DOMAIN, version: '2' }), 'bad-signature');
  refuse(await signed(a, base(11), { ...DOMAIN, chainId: 1 }), 'bad-signature');
  refuse(await signed(a, base(12), { name: 'govtally', version: '1' }), 'bad-signature');
  // Signatures changed after signing, on records of their own (a copy of an
  // accepted record with another signature has its id: a duplicate).
  // The malleable twin: n - s and the other parity recover the same account.
  const once = await signed(a, base(15));
  const twin = withSig(once, (s) => ({ r: s.r, s: N - s.s, v: s.v === 27 ? 28 : 27 }));
  const digest = ethers.getBytes(ethers.TypedDataEncoder.hash(DOMAIN, TYPES, message(twin)));
  const point = secp256k1.Signature.fromCompact(twin.sig.slice(2, 130))
    .addRecoveryBit(parseInt(twin.sig.slice(130), 16) - 27).recoverPublicKey(digest);
  assert.equal(ethers.computeAddress('0x' + point.toHex(false)), a.address,
    'the twin is a signature of the same account');
  refuse(twin, 'bad-signature');
  refuse(withSig(await signed(a, base(16)), (s) => ({ ...s, v: s.v + 2 })), 'bad-signature'); // v 29, 30
  refuse(withSig(await signed(b, base(17)), (s) => ({ ...s, v: s.v - 27 })), 'bad-signature'); // v 0, 1
  refuse({ ...good[4], sig: good[5].sig }, 'duplicate'); // same statement, another signature
  refuse({ ...(await signed(stranger, base(13))), issuer: a.address }, 'bad-signature');
  refuse(await signed(stranger, base(14)), 'untrusted-issuer');
  // the same record twice: the second is a duplicate of the first
  refuse({ ...good[7] }, 'duplicate');
  const all = [...good, ...bad];
  expect.read = all.length;
  fs.writeFileSync(file('ethers.jsonl'), all.map((r) => JSON.stringify(r)).join('\n') + '\n');
  fs.writeFileSync(file('trust.json'), JSON.stringify({
    v: 1, issuers: [{ name: 'a', address: a.address.toLowerCase() }, { name: 'b', address: b.address }],
  }));
  for (const threads of ['1', '2']) {
    const got = JSON.parse(run(['attest', 'verify', '-i', file('trust.json'), '--threads', threads,
      file('ethers.jsonl')], [1]));
    assert.deepEqual(got, expect, `ethers-signed records, ${threads} thread(s)`);
  }
  console.log(`ethers signs: ${good.length} accepted, ${bad.length} refused as built`);
}

async function govtallySigns() {
  const address = run(['attest', 'keygen', '--type', 'eth', '-o', file('gt.key')]).trim();
  const key = fs.readFileSync(file('gt.key'), 'utf8');
  assert.match(key, /^0x[0-9a-f]{64}\n$/);
  assert.equal(address, new ethers.Wallet(key.trim()).address, 'keygen prints the key\'s address');
  const rows = ['address,nullifier'];
  for (let i = 0; i < 20; i++)
    rows.push(`${i % 2 ? ethers.getAddress(ethers.dataSlice(hex32(`g ${i}`), 12)) : hex32(`g ${i}`)},${hex32(`n ${i}`).slice(2)}`);
  fs.writeFileSync(file('subjects.csv'), rows.join('\n') + '\n');
  const out = run(['attest', 'sign', '-k', file('gt.key'), '--scope', 'uniswap', '--issued-at',
    '1700000000', '--expires-at', '1900000000', '--weight', '0.75', file('subjects.csv')]);
  const records = out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(records.length, 20);
  for (const r of records) {
    assert.equal(r.v, 2);
    const signer = ethers.verifyTypedData(DOMAIN, TYPES, message(r), r.sig);
    assert.equal(signer, address, 'ethers recovers the issuer');
    assert.equal('0x' + r.id, ethers.TypedDataEncoder.hash(DOMAIN, TYPES, message(r)), 'id is the digest');
    assert.ok(ethers.toBigInt('0x' + r.sig.slice(66, 130)) <= N / 2n, 'low s');
  }
  console.log(`govtally signs: ${records.length} records verified by ethers`);
}

async function docsExample() {
  const doc = fs.readFileSync(path.join(root, 'docs', 'identity.md'), 'utf8');
  const block = (marker) => {
    const m = doc.match(new RegExp(`<!-- ${marker} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\``));
    assert.ok(m, `docs/identity.md has the block ${marker}`);
    return m[1];
  };
  const v = Object.fromEntries(block('eip712-example').trim().split('\n')
    .map((l) => l.split(/\s{2,}/)));
  const w = new ethers.Wallet(v['secret key']);
  assert.equal(v['secret key'], ethers.id('cow'), 'the key is keccak256("cow")');
  assert.equal(v.address, w.address);
  const m = {
    issuer: w.address, subject: '0xab5801a7d398351b8be11c439e05c5b3259aec9b',
    nullifier: ethers.sha256(ethers.toUtf8Bytes('gvt example human')), scope: 'ens.eth',
    issuedAt: 1700000000, expiresAt: 1731536000, weight: '0.5',
  };
  const enc = ethers.TypedDataEncoder.from(TYPES);
  assert.equal(v.typeHash, ethers.id(enc.encodeType('Attestation')));
  assert.equal(v.domainSeparator, ethers.TypedDataEncoder.hashDomain(DOMAIN));
  assert.equal(v.hashStruct, enc.hash(m));
  assert.equal(v.digest, ethers.TypedDataEncoder.hash(DOMAIN, TYPES, m));
  assert.equal(v.signature, await w.signTypedData(DOMAIN, TYPES, m));
  assert.equal(v.recovered, ethers.recoverAddress(v.digest, v.signature));
  fs.writeFileSync(file('cow.key'), v['secret key'] + '\n');
  fs.writeFileSync(file('ex.csv'), `0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B,${m.nullifier.slice(2)}\n`);
  const line = run(['attest', 'sign', '-k', file('cow.key'), '--scope', 'ens.eth', '--issued-at',
    '1700000000', '--expires-at', '1731536000', '--weight', '0.5', file('ex.csv')]);
  assert.equal(line, block('eip712-record'), 'attest sign writes the record shown');
  console.log('docs/identity.md worked example: recomputed');
}

await ethersSigns();
await govtallySigns();
await docsExample();
console.log('3 passed, 0 failed');
