#!/usr/bin/env node
// gen-eas-bench.mjs N OUTDIR: N EAS off-chain attestations (version 2) by one
// attester through the EAS SDK, for bench/attest.sh: OUTDIR/eas.jsonl and
// OUTDIR/issuers.json (the attester as an EAS source, nullifier = humanId);
// and OUTDIR/onchain.jsonl, the same statements as the gvt-eas-onchain/1
// records `govtally fetch eas` writes, their uids computed here with ethers
// as EAS.sol's _getUID does (no node needed: block and transaction made up).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ethers } from 'ethers';

const require = createRequire(import.meta.url);
const { Offchain, SchemaEncoder, SchemaRegistry } = require('@ethereum-attestation-service/eas-sdk');
const [n, out] = [Number(process.argv[2]), process.argv[3]];
const FIELDS = 'uint256 score, bytes32 humanId';
const SCHEMA = SchemaRegistry.getSchemaUID(FIELDS, ethers.ZeroAddress, true);
const EAS_OP = '0x4200000000000000000000000000000000000021';
const w = new ethers.Wallet(ethers.id('gvt eas bench attester'));
const off = new Offchain({ address: EAS_OP, version: '1.0.1', chainId: 10n }, 2);
const enc = new SchemaEncoder(FIELDS);
fs.mkdirSync(out, { recursive: true });
const lines = [];
for (let i = 0; i < n; i++) {
  const data = enc.encodeData([{ name: 'score', value: 25n, type: 'uint256' },
    { name: 'humanId', value: ethers.zeroPadValue(ethers.toBeHex(i + 1), 32), type: 'bytes32' }]);
  const sig = await off.signOffchainAttestation({
    recipient: ethers.dataSlice(ethers.id(`bench ${i}`), 12), expirationTime: 0n, time: 1n,
    revocable: true, schema: SCHEMA, refUID: ethers.ZeroHash, data,
  }, w);
  lines.push(JSON.stringify({ sig, signer: w.address }, (k, v) => typeof v === 'bigint' ? v.toString() : v));
}
fs.writeFileSync(path.join(out, 'eas.jsonl'), lines.join('\n') + '\n');
const onchain = lines.map((l, i) => {
  const m = JSON.parse(l).sig.message;
  const rec = { schema: SCHEMA, recipient: m.recipient.toLowerCase(), attester: w.address.toLowerCase(),
    time: 1, expiration_time: 0, revocation_time: 0, ref_uid: ethers.ZeroHash, revocable: true,
    data: m.data };
  const uid = ethers.solidityPackedKeccak256(
    ['bytes32', 'address', 'address', 'uint64', 'uint64', 'bool', 'bytes32', 'bytes', 'uint32'],
    [rec.schema, rec.recipient, rec.attester, 1, 0, true, rec.ref_uid, rec.data, 0]);
  return JSON.stringify({ format: 'gvt-eas-onchain/1', chain_id: 10, contract: EAS_OP.toLowerCase(),
    read_at: 1000000, block: 1 + i, tx: ethers.id(`bench tx ${i}`), log_index: 0, uid, ...rec,
    bump: 0 });
});
fs.writeFileSync(path.join(out, 'onchain.jsonl'), onchain.join('\n') + '\n');
fs.writeFileSync(path.join(out, 'issuers.json'), JSON.stringify({ v: 1, issuers: [{
  name: 'bench-eas', attester: w.address, schema: SCHEMA, chain_id: 10, contract: EAS_OP,
  fields: FIELDS, nullifier: 'humanId' }] }) + '\n');
