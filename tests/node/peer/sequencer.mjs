// sequencer.mjs: what Snapshot's sequencer does to score a proposal, shared
// by score.mjs and check-fixtures.mjs. Votes become {choice, balance: vp,
// scores: vp_by_strategy}; snapshot.utils.voting[type] is built over the
// proposal, those votes and the proposal's strategies; the scores are read
// from getScores(), getScoresByStrategy() and getScoresTotal().

import { createRequire } from 'node:module';

export const TYPES = ['single-choice', 'basic', 'approval', 'ranked-choice',
                      'copeland', 'quadratic', 'weighted'];

const require = createRequire(import.meta.url);

/** The pinned @snapshot-labs/snapshot.js (CommonJS) and its version. */
export function loadSnapshot() {
  try {
    return {
      snapshot: require('@snapshot-labs/snapshot.js'),
      version: require('@snapshot-labs/snapshot.js/package.json').version,
    };
  } catch (e) {
    throw new Error(`cannot load @snapshot-labs/snapshot.js (${e.code || e.message}): ` +
                    'run `npm ci` in tests/node (scripts/setup.sh does)');
  }
}

/** {proposal, votes} of an export in either shape, or null. */
export function exportParts(doc) {
  const root = doc && typeof doc === 'object' && doc.data && typeof doc.data === 'object'
    ? doc.data : doc;
  if (!root || typeof root.proposal !== 'object' || !root.proposal ||
      !Array.isArray(root.votes) || !Array.isArray(root.proposal.choices))
    return null;
  return { proposal: root.proposal, votes: root.votes };
}

/**
 * The votes as the scoring code takes them, in the same order; values
 * unchanged (a missing vp_by_strategy stands for [vp]). Throws naming the
 * index of a vote that is not an object.
 */
export function peerVotes(rawVotes) {
  return rawVotes.map((v, i) => {
    if (!v || typeof v !== 'object') throw new Error(`votes[${i}] is not an object`);
    const balance = v.vp !== undefined ? v.vp : v.balance;
    const scores = v.vp_by_strategy !== undefined ? v.vp_by_strategy
      : v.scores !== undefined ? v.scores : [balance];
    return { choice: v.choice, balance, scores };
  });
}

/**
 * Scores votes (from peerVotes) under type. stage(name, fn) may time each
 * call. Returns {valid_votes, scores, scores_by_strategy, scores_total}.
 */
export function score(snapshot, proposal, votes, type, stage = (_, fn) => fn()) {
  let strategies = proposal.strategies;
  if (!Array.isArray(strategies)) {
    // Only the count matters to the scoring code: the widest vote's.
    let width = 1;
    for (const v of votes)
      if (Array.isArray(v.scores) && v.scores.length > width) width = v.scores.length;
    strategies = Array.from({ length: width }, () => ({ name: 'unnamed' }));
  }
  const Voting = snapshot.utils.voting[type];
  const ballot = new Voting({ ...proposal, type }, votes, strategies);
  return {
    valid_votes: stage('getValidVotes', () => ballot.getValidVotes().length),
    scores: stage('getScores', () => ballot.getScores()),
    scores_by_strategy: stage('getScoresByStrategy', () => ballot.getScoresByStrategy()),
    scores_total: stage('getScoresTotal', () => ballot.getScoresTotal()),
  };
}
