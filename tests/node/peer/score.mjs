#!/usr/bin/env node
// score.mjs: scores one Snapshot proposal export with Snapshot's own code,
// the npm package @snapshot-labs/snapshot.js pinned in ../package-lock.json.
// It does what Snapshot's sequencer does when it scores a proposal: build
// snapshot.utils.voting[type] over the proposal, the votes mapped to
// {choice, balance: vp, scores: vp_by_strategy} and the proposal's
// strategies, then read getScores(), getScoresByStrategy() and
// getScoresTotal(). This output is the reference govtally's `snapshot`
// scheme is compared with (tests/peer_diff.py, bench/bench.sh).
//
// usage: node score.mjs FILE|- [TYPE]
//   FILE   {"proposal": {...}, "votes": [...]} or the hub's GraphQL shape
//          {"data": {"proposal": {...}, "votes": [...]}}; - reads stdin
//   TYPE   overrides proposal.type
// Prints one JSON line: type, scores, scores_by_strategy, scores_total,
// valid_votes (votes isValidChoice accepts), votes, peer_version.
// PEER_TIMING=1 adds a line "PEER_TIMING {...}" on stderr (milliseconds of
// each stage, and memory).
// Exit status: 0 scored, 64 usage, 65 input not an export, 66 cannot read,
// 70 the peer is not installed (run `npm ci` in tests/node).
//
// Values go to the peer as they are in the file: votes in file order (the
// order decides the last bits of floating-point sums), no duplicate removal
// (the hub's database keeps one vote per voter already), a string vp left a
// string. A missing vp_by_strategy stands for [vp]; without
// proposal.strategies the strategy count is the widest vp_by_strategy seen
// (at least one): only that count matters to the scoring code.

import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { exportParts, loadSnapshot, peerVotes, score, TYPES } from './sequencer.mjs';

const t0 = performance.now();
const timing = {};

function die(code, msg) {
  process.stderr.write(`score.mjs: ${msg}\n`);
  process.exit(code);
}

function stage(name, fn) {
  const s = performance.now();
  const r = fn();
  timing[`${name}_ms`] = +(performance.now() - s).toFixed(3);
  return r;
}

const args = process.argv.slice(2);
if (args.length < 1 || args.length > 2 || args[0] === '-h' || args[0] === '--help')
  die(64, 'usage: node score.mjs FILE|- [TYPE]');
const [file, typeArg] = args;
if (typeArg !== undefined && !TYPES.includes(typeArg))
  die(64, `unknown type '${typeArg}' (one of ${TYPES.join(', ')})`);

let snapshot, peerVersion;
stage('import', () => {
  try {
    ({ snapshot, version: peerVersion } = loadSnapshot());
  } catch (e) {
    die(70, e.message);
  }
});

const bytes = stage('read', () => {
  try {
    return fs.readFileSync(file === '-' ? 0 : file);
  } catch (e) {
    die(66, `${file}: cannot read: ${e.message}`);
  }
});
const text = stage('decode', () => {
  try {
    return bytes.toString('utf8');
  } catch (e) {
    die(65, `${file}: too large to hold as one string (${bytes.length} bytes)`);
  }
});
const doc = stage('parse', () => {
  try {
    return JSON.parse(text);
  } catch (e) {
    die(65, `${file}: not JSON: ${e.message}`);
  }
});

const parts = exportParts(doc);
if (!parts)
  die(65, `${file}: expected {"proposal": {"choices": [...], ...}, "votes": [...]} or {"data": {...}}`);
const { proposal } = parts;
const type = typeArg || proposal.type;
if (!TYPES.includes(type))
  die(65, `${file}: proposal.type '${type}' is not one of ${TYPES.join(', ')}`);

const votes = stage('map', () => {
  try {
    return peerVotes(parts.votes);
  } catch (e) {
    die(65, `${file}: ${e.message}`);
  }
});
const result = score(snapshot, proposal, votes, type, stage);
timing.score_ms = +(timing.getValidVotes_ms + timing.getScores_ms +
                    timing.getScoresByStrategy_ms + timing.getScoresTotal_ms).toFixed(3);

process.stdout.write(JSON.stringify({
  type,
  scores: result.scores,
  scores_by_strategy: result.scores_by_strategy,
  scores_total: result.scores_total,
  valid_votes: result.valid_votes,
  votes: votes.length,
  peer_version: peerVersion,
}) + '\n');

if (process.env.PEER_TIMING === '1') {
  const mem = process.memoryUsage();
  timing.total_ms = +(performance.now() - t0).toFixed(3);
  timing.rss_mib = +(mem.rss / 1048576).toFixed(1);
  timing.heap_used_mib = +(mem.heapUsed / 1048576).toFixed(1);
  timing.input_bytes = bytes.length;
  process.stderr.write(`PEER_TIMING ${JSON.stringify(timing)}\n`);
}
