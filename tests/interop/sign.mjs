// sign.mjs OUTDIR: attestations signed by Node's crypto (no govtally code),
// which `govtally attest verify` must accept: OUTDIR/att.jsonl (JSON Lines,
// hex in mixed case), OUTDIR/att.json (the same as a JSON array),
// OUTDIR/issuers.json and OUTDIR/expect.json (the verify output expected).
import fs from 'node:fs';
import path from 'node:path';
import { keyFromSeed, seedFor, sign } from './gvt-attest.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node sign.mjs OUTDIR');
  process.exit(64);
}
const a = keyFromSeed(seedFor('interop-a'));
const b = keyFromSeed(seedFor('interop-b'));
const rows = [];
for (let i = 0; i < 20; i++) {
  const key = i % 3 ? a : b;
  const subject = i % 5 === 4
    ? '0x' + (i + 1).toString(16).padStart(64, '0')      // Starknet length
    : '0x' + (0xabc000 + i).toString(16).padStart(40, '0');
  const att = sign(key, {
    subject,
    nullifier: (i * 7919).toString(16).padStart(64, 'e'),
    scope: ['*', 'ens.eth', 'a.b-c_d:e'][i % 3],
    issued_at: 1700000000 + i,
    expires_at: i % 2 ? 0 : 2000000000,
    weight: ['1', '0.5', '0.25', '0.000001', '0.999999', '0'][i % 6],
  });
  // Hex is accepted in either case: shout some of it.
  if (i % 4 === 1) {
    att.issuer = att.issuer.toUpperCase();
    att.sig = att.sig.toUpperCase();
    att.subject = '0x' + att.subject.slice(2).toUpperCase();
    att.nullifier = att.nullifier.toUpperCase();
  }
  rows.push(att);
}
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'att.jsonl'),
                 rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
fs.writeFileSync(path.join(out, 'att.json'), JSON.stringify(rows, null, 2));
fs.writeFileSync(path.join(out, 'issuers.json'), JSON.stringify({
  v: 1,
  issuers: [{ name: 'interop-a', key: a.pub },
            { name: 'interop-b', key: b.pub.toUpperCase(), weight: '0.5' }],
}) + '\n');
const reasons = ['duplicate', 'unused', 'untrusted-issuer', 'bad-signature',
                 'issuer-window', 'revoked', 'wrong-scope', 'not-yet-valid',
                 'expired', 'conflict', 'wrong-schema'];
fs.writeFileSync(path.join(out, 'expect.json'),
  `{"read": ${rows.length}, "valid": ${rows.length}, "rejected": {` +
  reasons.map((r) => `"${r}": 0`).join(', ') + '}}\n');
