#!/usr/bin/env node
// gen-votes.mjs: a synthetic Snapshot proposal export, the same bytes for
// the same arguments on any machine (its own seeded generator; no
// Math.random, no clock).
//
// usage: node gen-votes.mjs TYPE N SEED [INVALID_FRACTION]
//            [--choices=K] [--strategies=S] [--minimal] > export.json
//   TYPE  single-choice, basic, approval, ranked-choice, copeland,
//         quadratic or weighted
//   N     votes, one per distinct voter
//   SEED  any integer
//   INVALID_FRACTION  share of votes (0..1, default 0) given a choice that
//         Snapshot's isValidChoice refuses for TYPE
//   --choices=K     choices of the proposal (default 4, 2..64; basic always
//                   has For, Against, Abstain)
//   --strategies=S  width of vp_by_strategy (default 2, 1..8)
//   --minimal       votes carry only voter, created, choice, vp and
//                   vp_by_strategy (about half the bytes)
//
// Output: the hub's GraphQL shape {"data": {"proposal": {...}, "votes":
// [...]}}, one vote a line. Voting power is heavy-tailed like a token
// DAO's: a few whales (1e6 to 2e7), a Pareto body (shape 1.2, from 1) and
// 15% dust below 1; each vote's vp is split over the S strategies and vp is
// the sum of the parts (added in order, as a double). Choices follow the
// type's format with an uneven popularity per seed. An invalid vote gets a
// malformed choice of a kind drawn from the type's list below (INVALID).

const TYPES = ['single-choice', 'basic', 'approval', 'ranked-choice',
               'copeland', 'quadratic', 'weighted'];

function usage(msg) {
  if (msg) process.stderr.write(`gen-votes.mjs: ${msg}\n`);
  process.stderr.write('usage: node gen-votes.mjs TYPE N SEED [INVALID_FRACTION] ' +
                       '[--choices=K] [--strategies=S] [--minimal]\n');
  process.exit(64);
}

// ---- arguments -----------------------------------------------------------
const pos = [];
const opt = { choices: 4, strategies: 2, minimal: false };
for (const a of process.argv.slice(2)) {
  let m;
  if ((m = /^--choices=(\d+)$/.exec(a))) opt.choices = Number(m[1]);
  else if ((m = /^--strategies=(\d+)$/.exec(a))) opt.strategies = Number(m[1]);
  else if (a === '--minimal') opt.minimal = true;
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else pos.push(a);
}
if (pos.length < 3 || pos.length > 4) usage();
const [type, nText, seedText, invText = '0'] = pos;
if (!TYPES.includes(type)) usage(`unknown type '${type}'`);
if (!/^\d+$/.test(nText)) usage(`N must be a whole number, not '${nText}'`);
if (!/^-?\d+$/.test(seedText)) usage(`SEED must be an integer, not '${seedText}'`);
const N = Number(nText);
const invalidFraction = Number(invText);
if (!(invalidFraction >= 0 && invalidFraction <= 1))
  usage(`INVALID_FRACTION must be within 0..1, not '${invText}'`);
if (opt.choices < 2 || opt.choices > 64) usage('--choices must be within 2..64');
if (opt.strategies < 1 || opt.strategies > 8) usage('--strategies must be within 1..8');
const K = type === 'basic' ? 3 : opt.choices;
const S = opt.strategies;

// ---- seeded generator ----------------------------------------------------
// xoshiro128** over 32-bit words, state from splitmix32 of the seed and the
// arguments (a different type or size gives a different stream).
function splitmix32(x) {
  return () => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}
function rotl(x, k) {
  return (x << k) | (x >>> (32 - k));
}
function makeRng(seed, salt) {
  let h = seed | 0;
  for (const c of salt) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  const sm = splitmix32(h ^ Math.floor(seed / 4294967296));
  let a = sm(), b = sm(), c = sm(), d = sm();
  const next = () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = rotl(d, 11);
    return r;
  };
  return {
    u32: next,
    // uniform in [0, 1) with 53 random bits
    real: () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992,
    int: (n) => Math.floor((((next() >>> 5) * 67108864 + (next() >>> 6)) /
                            9007199254740992) * n),
    hex: (digits) => {
      let s = '';
      while (s.length < digits) s += next().toString(16).padStart(8, '0');
      return s.slice(0, digits);
    },
  };
}
const rng = makeRng(Number(seedText), `${type}/${N}/${K}/${S}/${invText}`);

// ---- voting power --------------------------------------------------------
// One whale per 5,000 votes (at least three), spread evenly over the file.
const whales = Math.min(N, Math.max(3, Math.floor(N / 5000)));
const whaleStride = Math.max(1, Math.floor(N / whales));
function votingPower(i) {
  if (i % whaleStride === 0 && i / whaleStride < whales)
    return 1e6 + rng.real() * 1.9e7;
  if (rng.real() < 0.15) return 0.001 + rng.real() * 0.999; // dust
  return 1 / Math.pow(1 - rng.real(), 1 / 1.2);            // Pareto(1.2) from 1
}

function splitPower(vp) {
  const parts = [];
  let left = vp;
  for (let s = 0; s < S - 1; s++) {
    const p = left * rng.real();
    parts.push(p);
    left -= p;
  }
  parts.push(left);
  let sum = 0;
  for (const p of parts) sum += p;
  return { vp: sum, parts };
}

// ---- choices -------------------------------------------------------------
// Popularity: choice k is drawn with weight 1 / rank(k), ranks shuffled by
// the seed so that the leader differs between seeds.
const rank = Array.from({ length: K }, (_, k) => k + 1);
for (let k = K - 1; k > 0; k--) {
  const j = rng.int(k + 1);
  [rank[k], rank[j]] = [rank[j], rank[k]];
}
const weight = rank.map((r) => 1 / r);

function drawFrom(avail) {
  let total = 0;
  for (const k of avail) total += weight[k];
  let x = rng.real() * total;
  for (const k of avail) {
    x -= weight[k];
    if (x < 0) return k;
  }
  return avail[avail.length - 1];
}
function fullRanking() {
  const avail = Array.from({ length: K }, (_, k) => k);
  const out = [];
  while (avail.length) {
    const k = drawFrom(avail);
    avail.splice(avail.indexOf(k), 1);
    out.push(k + 1);
  }
  return out;
}
function spread() { // {"choice": weight}, at least one weight positive
  const picks = 1 + rng.int(Math.min(K, 4));
  const out = {};
  const avail = Array.from({ length: K }, (_, k) => k);
  for (let p = 0; p < picks; p++) {
    const k = drawFrom(avail);
    avail.splice(avail.indexOf(k), 1);
    out[k + 1] = p === 0 ? 1 + rng.int(100) : rng.int(100);
  }
  return out;
}

function validChoice() {
  switch (type) {
  case 'single-choice':
  case 'basic':
    return drawFrom(Array.from({ length: K }, (_, k) => k)) + 1;
  case 'approval': {
    const out = [];
    for (let k = 0; k < K; k++)
      if (rng.real() < 0.15 + 0.7 * weight[k]) out.push(k + 1);
    return out; // may be empty: approving nothing is a valid ballot
  }
  case 'ranked-choice':
  case 'copeland':
    return fullRanking();
  default:
    return spread();
  }
}

// Malformed choices of the kinds isValidChoice refuses, per type.
const INVALID = {
  single: [() => 0, () => K + 1, () => -1, () => 1.5, () => '1', () => [1], () => null],
  approval: [() => [1, 1], () => [K + 1], () => [0, 1], () => 2, () => '1,2',
             () => ({ 1: 1 })],
  ranked: [() => fullRanking().slice(0, K - 1), () => [], () => [1, 1, ...fullRanking().slice(2)],
           () => [...fullRanking().slice(0, K - 1), K + 1], () => 1, () => ({ 1: 1 })],
  spread: [() => ({}), () => ({ 1: -1, 2: 3 }), () => ({ 1: 0, 2: 0 }),
           () => ({ [K + 1]: 1 }), () => ({ 1: '5' }), () => [1, 2], () => 3],
};
function invalidChoice() {
  const list = type === 'single-choice' || type === 'basic' ? INVALID.single
    : type === 'approval' ? INVALID.approval
    : type === 'ranked-choice' || type === 'copeland' ? INVALID.ranked
    : INVALID.spread;
  return list[rng.int(list.length)]();
}

// ---- output --------------------------------------------------------------
const start = 1700000000 + (rng.u32() % 10000000);
const end = start + 5 * 86400;
const space = 'synthetic-dao.eth';
const proposal = {
  id: `0x${rng.hex(64)}`,
  ipfs: `bafkrei${rng.hex(52)}`,
  title: `Synthetic ${type} proposal (${N} votes, seed ${seedText})`,
  body: 'Made by tests/node/peer/gen-votes.mjs for differential tests and benchmarks.',
  choices: type === 'basic' ? ['For', 'Against', 'Abstain']
    : Array.from({ length: K }, (_, k) => `Option ${k + 1}`),
  start,
  end,
  snapshot: String(18000000 + (rng.u32() % 1000000)),
  state: 'closed',
  author: `0x${rng.hex(40)}`,
  created: start - 3600,
  network: '1',
  symbol: 'VOTE',
  type,
  quorum: 0,
  quorumType: 'default',
  privacy: '',
  space: { id: space, name: 'Synthetic DAO' },
  strategies: Array.from({ length: S }, (_, s) => ({
    name: s === 0 ? 'erc20-balance-of' : 'delegation',
    network: '1',
    params: { symbol: 'VOTE', address: `0x${rng.hex(40)}`, decimals: 18 },
  })),
  votes: N,
};

// Voters: 40 hex digits, the first 8 a bijection of the index (distinct by
// construction), the rest random.
function voterAddress(i) {
  let x = (i + 1) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return `0x${x.toString(16).padStart(8, '0')}${rng.hex(32)}`;
}

function vote(i) {
  const { vp, parts } = splitPower(votingPower(i));
  const choice = rng.real() < invalidFraction ? invalidChoice() : validChoice();
  const voter = voterAddress(i);
  const created = start + Math.floor((i * (end - start)) / Math.max(N, 1)) + rng.int(60);
  if (opt.minimal)
    return { voter, created, choice, vp, vp_by_strategy: parts };
  return {
    id: `0x${rng.hex(64)}`,
    voter,
    created,
    choice,
    reason: '',
    app: 'snapshot',
    vp,
    vp_by_strategy: parts,
    vp_state: 'final',
  };
}

async function write(s) {
  if (!process.stdout.write(s))
    await new Promise((resolve) => process.stdout.once('drain', resolve));
}

process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(`gen-votes.mjs: standard output: ${e.message}\n`);
  process.exit(74);
});

await write(`{"data":{"proposal":${JSON.stringify(proposal)},\n"votes":[\n`);
let chunk = [];
for (let i = 0; i < N; i++) {
  chunk.push(JSON.stringify(vote(i)));
  if (chunk.length === 5000 || i === N - 1) {
    await write(chunk.join(',\n') + (i === N - 1 ? '\n' : ',\n'));
    chunk = [];
  }
}
await write(']}}\n');
