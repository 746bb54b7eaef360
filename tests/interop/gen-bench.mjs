// gen-bench.mjs PROPOSAL.json OUTDIR: one attestation per voter of a
// proposal export (as made by tests/node/peer/gen-votes.mjs), all signed by
// one issuer with a deterministic key, into OUTDIR/att.jsonl and
// OUTDIR/issuers.json. Every 50th voter shares the nullifier of the previous
// one, so humans merge.
import fs from 'node:fs';
import path from 'node:path';
import { keyFromSeed, seedFor, sign } from './gvt-attest.mjs';

const [input, out] = process.argv.slice(2);
if (!input || !out) {
  console.error('usage: node gen-bench.mjs PROPOSAL.json OUTDIR');
  process.exit(64);
}
const doc = JSON.parse(fs.readFileSync(input, 'utf8'));
const { proposal, votes } = doc.data ?? doc;
const space = typeof proposal.space === 'object' ? proposal.space.id
                                                 : proposal.space;
const key = keyFromSeed(seedFor('bench-issuer'));
fs.mkdirSync(out, { recursive: true });
const fd = fs.openSync(path.join(out, 'att.jsonl'), 'w');
let chunk = [];
votes.forEach((v, i) => {
  const n = i % 50 === 49 ? i - 1 : i;
  chunk.push(JSON.stringify(sign(key, {
    subject: v.voter,
    nullifier: n.toString(16).padStart(64, '0'),
    scope: i % 2 ? '*' : space,
    issued_at: 1,
  })));
  if (chunk.length === 4096) {
    fs.writeSync(fd, chunk.join('\n') + '\n');
    chunk = [];
  }
});
if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
fs.closeSync(fd);
fs.writeFileSync(path.join(out, 'issuers.json'),
  JSON.stringify({ v: 1, issuers: [{ name: 'bench', key: key.pub }] }) + '\n');
