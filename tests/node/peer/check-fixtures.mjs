#!/usr/bin/env node
// check-fixtures.mjs: the golden fixtures' `snapshot` expectations checked
// against Snapshot's own code (ctest `fixtures_peer`). The fixtures'
// expected values were computed by hand (each fixture's README); this
// checks the hand against the peer, independently of govtally.
//
// usage: node check-fixtures.mjs FIXTURES_DIR
// For every FIXTURES_DIR/*/fixture.json whose expect has a `snapshot`
// scheme: keeps one vote per voter as the hub does (the greatest
// (created, id); addresses compared in lower case), scores the proposal
// with snapshot.js (sequencer.mjs) and compares
//   - each expected score and the total with the peer's, within 1e-9
//     relative (absolute below 1): the peer sums in doubles;
//   - the expected invalid-choice (plus encrypted) count with the votes
//     the peer's isValidChoice refuses, and the expected duplicate count with the
//     votes the hub would not keep (where the fixture states them).
// Prints a line per fixture and "N passed, N failed"; exit 1 on a failure.

import fs from 'node:fs';
import path from 'node:path';
import { exportParts, loadSnapshot, peerVotes, score } from './sequencer.mjs';

const TOLERANCE = 1e-9;

function latestPerVoter(votes) {
  const keep = new Map();
  for (const v of votes) {
    const who = String(v.voter).toLowerCase();
    const old = keep.get(who);
    if (!old || v.created > old.created ||
        (v.created === old.created && String(v.id) > String(old.id)))
      keep.set(who, v);
  }
  // the scoring order stays the file's order
  const kept = new Set(keep.values());
  return votes.filter((v) => kept.has(v));
}

function close(expected, got) {
  const e = Number(expected);
  const scale = Math.max(Math.abs(e), Math.abs(got));
  const d = Math.abs(e - got);
  return scale < 1 ? d <= TOLERANCE : d / scale <= TOLERANCE;
}

function checkOne(snapshot, dir) {
  const fixture = JSON.parse(fs.readFileSync(path.join(dir, 'fixture.json'), 'utf8'));
  const want = fixture.expect && fixture.expect.schemes && fixture.expect.schemes.snapshot;
  if (!want) return null;
  const doc = JSON.parse(fs.readFileSync(path.join(dir, fixture.input), 'utf8'));
  const parts = exportParts(doc);
  if (!parts) return [`${fixture.input}: not a proposal export`];
  const votes = latestPerVoter(parts.votes);
  const got = score(snapshot, parts.proposal, peerVotes(votes), parts.proposal.type);
  const problems = [];
  if (want.scores.length !== got.scores.length)
    problems.push(`${want.scores.length} scores expected, the peer has ${got.scores.length}`);
  want.scores.forEach((s, i) => {
    if (i < got.scores.length && !close(s, got.scores[i]))
      problems.push(`score ${i + 1}: expected ${s}, peer ${got.scores[i]}`);
  });
  if (want.total !== undefined && !close(want.total, got.scores_total))
    problems.push(`total: expected ${want.total}, peer ${got.scores_total}`);
  const rejected = fixture.expect.ballots && fixture.expect.ballots.rejected;
  // Snapshot refuses a Shutter ciphertext like any invalid choice: the
  // peer's refusals are govtally's invalid-choice plus encrypted.
  const refused = rejected && rejected['invalid-choice'] !== undefined
    ? rejected['invalid-choice'] + (rejected.encrypted || 0) : undefined;
  if (refused !== undefined && refused !== votes.length - got.valid_votes)
    problems.push(`invalid-choice + encrypted: expected ${refused}, ` +
                  `peer ${votes.length - got.valid_votes}`);
  if (rejected && rejected.duplicate !== undefined &&
      rejected.duplicate !== parts.votes.length - votes.length)
    problems.push(`duplicate: expected ${rejected.duplicate}, ` +
                  `hub rule ${parts.votes.length - votes.length}`);
  return problems;
}

const root = process.argv[2];
if (!root || process.argv.length !== 3) {
  process.stderr.write('usage: node check-fixtures.mjs FIXTURES_DIR\n');
  process.exit(64);
}
let snapshot;
try {
  ({ snapshot } = loadSnapshot());
} catch (e) {
  process.stderr.write(`check-fixtures.mjs: ${e.message}\n`);
  process.exit(1);
}
let passed = 0, failed = 0;
for (const name of fs.readdirSync(root).sort()) {
  const dir = path.join(root, name);
  if (!fs.existsSync(path.join(dir, 'fixture.json'))) continue;
  let problems;
  try {
    problems = checkOne(snapshot, dir);
  } catch (e) {
    problems = [e.message];
  }
  if (problems === null) {
    console.log(`skip ${name}: no snapshot expectation`);
  } else if (problems.length === 0) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    for (const p of problems) console.log(`FAIL ${path.join(dir, 'fixture.json')}: ${p}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || passed === 0 ? 1 : 0);
