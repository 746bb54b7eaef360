// gen-fixtures.mjs REPO_ROOT: regenerates the inputs (proposal.json,
// att.jsonl, issuers.json) of fixtures/identity-*/ with Node's crypto only.
// Keys are deterministic: the seed of issuer LABEL is
// SHA-256("gvt-fixture-seed:" + LABEL) (see gvt-attest.mjs), so running this
// again gives the same bytes. The expectations (fixture.json) are written by
// hand from the computations in each README.md, not by this script.
import fs from 'node:fs';
import path from 'node:path';
import { attestationId, keyFromSeed, seedFor, sign } from './gvt-attest.mjs';

const root = process.argv[2];
if (!root) {
  console.error('usage: node gen-fixtures.mjs REPO_ROOT');
  process.exit(64);
}
const T = 1700000000;
const addr = (prefix, i) => '0x' + prefix + i.toString(16).padStart(40 - prefix.length, '0');
const nul = (label) => seedFor('nullifier:' + label);

function write(dir, proposal, votes, atts, issuers) {
  const d = path.join(root, 'fixtures', dir);
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, 'proposal.json'),
                   JSON.stringify({ proposal, votes }, null, 1) + '\n');
  fs.writeFileSync(path.join(d, 'att.jsonl'),
                   atts.map((a) => JSON.stringify(a)).join('\n') + '\n');
  fs.writeFileSync(path.join(d, 'issuers.json'),
                   JSON.stringify({ v: 1, issuers }, null, 1) + '\n');
}

function vote(id, voter, created, choice, vp) {
  return { id: '0x' + id.toString(16).padStart(64, '0'), voter, created,
           choice, vp, vp_by_strategy: [vp] };
}

// ---- identity-sybil-whale ----------------------------------------------
// 40 whale wallets x 100 vote Against (2), one nullifier for all of them;
// 6 humans x 400 vote For (1), one nullifier each. One issuer.
{
  const issuer = keyFromSeed(seedFor('sybil-whale-issuer'));
  const votes = [], atts = [];
  let id = 1;
  for (let i = 0; i < 6; i++) {
    const voter = addr('a11ce', i + 1);
    votes.push(vote(id++, voter, T + 100 + i, 1, 400));
    atts.push(sign(issuer, { subject: voter, nullifier: nul('human-' + i),
                             scope: '*', issued_at: T - 86400 }));
  }
  for (let i = 0; i < 40; i++) {
    const voter = addr('3a1e', i + 1);
    votes.push(vote(id++, voter, T + 200 + i, 2, 100));
    atts.push(sign(issuer, { subject: voter, nullifier: nul('whale'),
                             scope: 'sybil.eth', issued_at: T - 86400 }));
  }
  write('identity-sybil-whale',
        { id: '0xsybilwhale', space: 'sybil.eth', type: 'single-choice',
          choices: ['For', 'Against'], start: T, end: T + 86400,
          strategies: [{ name: 'erc20-balance-of' }] },
        votes, atts,
        [{ name: 'personhood-issuer', key: issuer.pub }]);
}

// ---- identity-every-reason ----------------------------------------------
// One attestation (or two) for every outcome of
// docs/formats.md#attestation-outcomes; the README lists
// them by line.
{
  const A = keyFromSeed(seedFor('reasons-A'));
  const B = keyFromSeed(seedFor('reasons-B'));
  const C = keyFromSeed(seedFor('reasons-C')); // not in the trust file
  const w = (i) => addr('5eed', i);
  const votes = [
    vote(1, w(1), T + 500, 1, 10),
    vote(2, w(2), T + 600, 1, 20),
    vote(3, w(3), T + 700, 2, 30),
    vote(4, w(4), T + 800, 2, 40),
    vote(5, w(5), T + 100, 1, 50),  // replaced by w5's later vote
    vote(6, w(5), T + 200, 2, 50),
  ];
  const broken = (a) => {
    const c = a.sig[0] === '0' ? '1' : '0';
    return { ...a, sig: c + a.sig.slice(1) };
  };
  const atts = [
    /* 1 valid */ sign(A, { subject: w(1), nullifier: nul('1'), scope: '*', issued_at: T + 200 }),
    /* 2 duplicate */ null,
    /* 3 unused */ sign(A, { subject: w(9), nullifier: nul('8'), scope: '*', issued_at: T + 200 }),
    /* 4 untrusted-issuer */ sign(C, { subject: w(1), nullifier: nul('1'), scope: '*', issued_at: T + 200 }),
    /* 5 bad-signature */ broken(sign(A, { subject: w(2), nullifier: nul('2'), scope: 'reasons.eth', issued_at: T + 200 })),
    /* 6 issuer-window */ sign(A, { subject: w(2), nullifier: nul('2'), scope: 'reasons.eth', issued_at: T - 50 }),
    /* 7 revoked nullifier */ sign(A, { subject: w(3), nullifier: nul('9'), scope: '*', issued_at: T + 200 }),
    /* 8 revoked id */ sign(A, { subject: w(3), nullifier: nul('3'), scope: '*', issued_at: T + 150 }),
    /* 9 wrong-scope */ sign(A, { subject: w(3), nullifier: nul('3'), scope: 'other.eth', issued_at: T + 200 }),
    /* 10 not-yet-valid */ sign(A, { subject: w(2), nullifier: nul('2'), scope: 'reasons.eth', issued_at: T + 650 }),
    /* 11 expired */ sign(A, { subject: w(2), nullifier: nul('2'), scope: 'reasons.eth', issued_at: T + 200, expires_at: T + 600 }),
    /* 12 conflict */ sign(B, { subject: w(4), nullifier: nul('4'), scope: '*', issued_at: T + 200 }),
    /* 13 conflict */ sign(B, { subject: w(4), nullifier: nul('5'), scope: '*', issued_at: T + 200 }),
    /* 14 valid */ sign(A, { subject: w(2), nullifier: nul('2'), scope: 'reasons.eth', issued_at: T + 200, expires_at: T + 601 }),
    /* 15 valid */ sign(A, { subject: w(3), nullifier: nul('3'), scope: 'reasons.eth', issued_at: T + 300 }),
  ];
  atts[1] = atts[0];
  write('identity-every-reason',
        { id: '0xeveryreason', space: 'reasons.eth', type: 'single-choice',
          choices: ['Yes', 'No'], start: T, end: T + 86400,
          strategies: [{ name: 'ticket' }] },
        votes, atts,
        [{ name: 'A', key: A.pub, valid_from: T, valid_until: T + 1000,
           revoked: [attestationId(atts[7])],
           revoked_nullifiers: [nul('9')] },
         { name: 'B', key: B.pub, weight: '0.5' }]);
}
