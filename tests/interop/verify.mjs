// verify.mjs FILE PUBLIC_KEY: checks attestations written by
// `govtally attest sign` with Node's crypto: every signature verifies over
// the canonical message, the issuer is PUBLIC_KEY, the id is BLAKE2b-256 of
// the message, and the fields are in canonical form. Exit 0 when all hold.
import fs from 'node:fs';
import { attestationId, verify } from './gvt-attest.mjs';

const [file, pub] = process.argv.slice(2);
const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l);
let bad = 0;
lines.forEach((line, i) => {
  const a = JSON.parse(line);
  const problems = [];
  if (a.v !== 1) problems.push('v');
  if (a.issuer !== pub) problems.push('issuer');
  if (!/^0x[0-9a-f]{40}([0-9a-f]{24})?$/.test(a.subject)) problems.push('subject');
  if (!/^[0-9a-f]{64}$/.test(a.nullifier)) problems.push('nullifier');
  if (!/^[0-9a-f]{128}$/.test(a.sig)) problems.push('sig');
  if (!verify(a)) problems.push('signature does not verify');
  if (attestationId(a) !== a.id) problems.push('id');
  if (problems.length) {
    bad++;
    console.error(`${file}:${i + 1}: ${problems.join(', ')}`);
  }
});
console.log(`${lines.length} attestations, ${bad} bad`);
process.exit(bad || lines.length === 0 ? 1 : 0);
