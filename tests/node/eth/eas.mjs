#!/usr/bin/env node
// eas.mjs: EAS off-chain attestations made by the EAS SDK 2.10.0 against
// govtally (the `eas_interop` test).
//
// A trusted attester signs attestations of versions 0, 1 and 2 with the
// SDK's Offchain class (its bigints written as strings, or as JSON numbers,
// and version 0 also in the legacy form with r, s, v beside the uid); each
// is shared as the SDK's package {sig, signer}. govtally must accept them,
// and refuse under the reason built in here: copies tampered after signing
// (data, uid, domain version), made malleable (high s), with v 29, re-signed
// by another account claiming the attester, attestations by an untrusted
// account, of another schema, for another chain, whose data is not of the
// schema, and a repeated package. Then a proposal voted by the recipients is
// tallied with the attestations: the humans merge as the schema's humanId
// says. Expected outcomes come from how each record is made, never from
// govtally's output. usage: eas.mjs GOVTALLY WORKDIR
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { ethers } from 'ethers';
import { govtally, scratch } from '../lib/cli.mjs';

const require = createRequire(import.meta.url);
const { Offchain, SchemaEncoder, SchemaRegistry } = require('@ethereum-attestation-service/eas-sdk');

const [gt, work] = process.argv.slice(2);
const file = scratch(work);
const run = govtally(gt);

const EAS_OP = '0x4200000000000000000000000000000000000021';
const FIELDS = 'uint256 score, bytes32 humanId';
const SCHEMA = SchemaRegistry.getSchemaUID(FIELDS, ethers.ZeroAddress, true);
const OTHER_SCHEMA = SchemaRegistry.getSchemaUID('bool isHuman', ethers.ZeroAddress, true);
const attester = new ethers.Wallet(ethers.id('gvt eas attester'));
const stranger = new ethers.Wallet(ethers.id('gvt eas stranger'));
const N = ethers.toBigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
const voter = (i) => ethers.getAddress(ethers.dataSlice(ethers.id(`eas voter ${i}`), 12));
const human = (h) => ethers.id(`eas human ${h}`);
const encode = (score, h) => new SchemaEncoder(FIELDS).encodeData([
  { name: 'score', value: BigInt(score), type: 'uint256' },
  { name: 'humanId', value: human(h), type: 'bytes32' }]);

async function make(version, { signer = attester, chainId = 10n, schema = SCHEMA, recipient, data,
  time = 1700000000n, claim } = {}) {
  const off = new Offchain({ address: EAS_OP, version: '1.0.1', chainId }, version);
  const sig = await off.signOffchainAttestation({
    recipient, expirationTime: 0n, time, revocable: true, schema, refUID: ethers.ZeroHash, data,
  }, signer);
  assert.ok(off.verifyOffchainAttestationSignature(signer.address, sig), 'the SDK accepts its own');
  return { sig, signer: claim ?? signer.address };
}

// bigints as strings (or as numbers when asked), as files in the wild have them
const json = (pkg, numbers = false) => JSON.stringify(pkg, (k, v) =>
  typeof v === 'bigint' ? (numbers ? Number(v) : v.toString()) : v);
const legacy = (pkg) => { // version 0 with r, s, v beside uid
  const { signature, ...rest } = pkg.sig;
  return { ...pkg, sig: { ...rest, r: signature.r, s: signature.s, v: signature.v } };
};
const edit = (pkg, f) => { const c = structuredClone(pkg); f(c.sig); return c; };

const zero = () => Object.fromEntries(
  ['duplicate', 'unused', 'untrusted-issuer', 'bad-signature', 'issuer-window', 'revoked',
    'wrong-scope', 'not-yet-valid', 'expired', 'conflict', 'wrong-schema'].map((k) => [k, 0]));

// Voters 0..5: humans 0 (voters 0, 1, 2), 1 (voter 3), 2 (voters 4, 5).
const lines = [];
const good = [];
good.push(await make(0, { recipient: voter(0), data: encode(30, 0) }));
good.push(await make(1, { recipient: voter(1), data: encode(25, 0) }));
good.push(await make(2, { recipient: voter(2), data: encode(21, 0) }));
good.push(await make(2, { recipient: voter(3), data: encode(40, 1) }));
good.push(await make(1, { recipient: voter(4), data: encode(22, 2) }));
lines.push(json(good[0]), json(good[1], true), json(good[2]), json(good[3]), json(good[4]));
const v0legacy = await make(0, { recipient: voter(5), data: encode(50, 2) });
lines.push(json(legacy(v0legacy)));
const expect = { read: 0, valid: good.length + 1, rejected: zero() };
const refuse = (pkg, reason) => { lines.push(json(pkg)); expect.rejected[reason]++; };

const spare = async (i, v = 2) => make(v, { recipient: voter(10 + i), data: encode(20, 10 + i) });
refuse(edit(await spare(0), (s) => { s.message.data = encode(99, 10); }), 'bad-signature');
refuse(edit(await spare(1), (s) => { s.uid = ethers.id('another uid'); }), 'bad-signature');
refuse(edit(await spare(2), (s) => { s.domain.version = '1.0.2'; }), 'bad-signature');
refuse(edit(await spare(3, 1), (s) => { s.message.time = '1700000001'; }), 'bad-signature');
const twin = edit(await spare(4), (s) => {
  s.signature.s = ethers.toBeHex(N - ethers.toBigInt(s.signature.s), 32);
  s.signature.v = s.signature.v === 27 ? 28 : 27;
});
refuse(twin, 'bad-signature');
refuse(edit(await spare(5), (s) => { s.signature.v += 2; }), 'bad-signature');
refuse(await make(2, { signer: stranger, claim: attester.address, recipient: voter(16), data: encode(1, 16) }),
  'bad-signature');
refuse(await make(2, { signer: stranger, recipient: voter(17), data: encode(1, 17) }), 'untrusted-issuer');
refuse(await make(2, { chainId: 1n, recipient: voter(18), data: encode(1, 18) }), 'wrong-schema');
refuse(await make(2, { schema: OTHER_SCHEMA, recipient: voter(19), data: encode(1, 19) }), 'wrong-schema');
refuse(await make(1, { recipient: voter(20), data: '0x1234' }), 'wrong-schema');
lines.push(json(good[3])); expect.rejected.duplicate++;
expect.read = lines.length;
fs.writeFileSync(file('eas.jsonl'), lines.join('\n') + '\n');
fs.writeFileSync(file('trust.json'), JSON.stringify({
  v: 1, issuers: [{
    name: 'passport-eas', attester: attester.address, schema: SCHEMA, chain_id: 10,
    contract: EAS_OP, fields: FIELDS, nullifier: 'humanId',
  }, {
    name: 'other', attester: attester.address, schema: SCHEMA, chain_id: 8453,
    contract: EAS_OP, nullifier: 'uid',
  }],
}));
for (const threads of ['1', '2']) {
  const got = JSON.parse(run(['attest', 'verify', '-i', file('trust.json'), '--threads', threads,
    file('eas.jsonl')], [1]));
  assert.deepEqual(got, expect, `EAS packages, ${threads} thread(s)`);
}
console.log(`EAS SDK: ${expect.valid} accepted (versions 0, 1, 2), ${expect.read - expect.valid} refused as built`);

// The same as one JSON array.
fs.writeFileSync(file('eas.json'), '[' + lines.join(',\n') + ']\n');
assert.deepEqual(JSON.parse(run(['attest', 'verify', '-i', file('trust.json'), file('eas.json')], [1])), expect);

// A tally: voters 0..5 and one unverified voter 6, one vote each.
const votes = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
  id: `0x${(i + 1).toString(16).padStart(64, '0')}`, voter: voter(i), choice: 1, vp: 10 ** i,
  created: 1700000100 + i,
}));
fs.writeFileSync(file('proposal.json'), JSON.stringify({
  proposal: { id: '0xeas', type: 'single-choice', choices: ['yes', 'no'], space: 'ens.eth',
    start: 1700000000, end: 1700001000 }, votes,
}));
const result = JSON.parse(run(['run', file('proposal.json'), '-a', file('eas.jsonl'), '-i',
  file('trust.json'), '--format', 'json']));
const id = result.identity;
assert.equal(id.humans, 3, 'humans {0, 1, 2}, {3}, {4, 5}');
assert.equal(id.verified_wallets, 6);
assert.equal(id.unverified_wallets, 1);
assert.equal(id.attestations.valid, expect.valid - 0, 'every accepted record is used');
console.log('a tally with EAS humans: ok');
console.log('3 passed, 0 failed');
