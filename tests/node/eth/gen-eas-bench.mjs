#!/usr/bin/env node
// gen-eas-bench.mjs N OUTDIR: N EAS off-chain attestations (version 2) by one
// attester through the EAS SDK, for bench/attest.sh: OUTDIR/eas.jsonl and
// OUTDIR/issuers.json (the attester as an EAS source, nullifier = humanId).
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
fs.writeFileSync(path.join(out, 'issuers.json'), JSON.stringify({ v: 1, issuers: [{
  name: 'bench-eas', attester: w.address, schema: SCHEMA, chain_id: 10, contract: EAS_OP,
  fields: FIELDS, nullifier: 'humanId' }] }) + '\n');
