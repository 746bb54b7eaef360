// kinds.mjs: `govtally fetch governor --kind alpha|bravo|aragon` against a
// real local node (anvil, through tests/node/lib/chain.mjs). The harness
// cannot deploy Compound's or Aragon's governors, so stand-ins
// (contracts/GvtEventLogs.sol) emit those governors' events, declared as
// they declare them, with arguments chosen here; solc encodes the logs.
// Checked for each kind, against what was emitted:
//   - one export per proposal in order, its id, type and choices as
//     docs/fetch.md says (alpha and aragon: single-choice For/Against;
//     bravo: basic For/Against/Abstain from support 1/0/2);
//   - every vote: voter lower-cased, vp = votes / 10^decimals exactly (18,
//     and 6 with --decimals 6), choice, reason (bravo);
//   - Aragon's second vote by the same voter is kept after the first (block
//     and log order), and `govtally run` counts only the later one;
//   - `govtally run` on each export: the token scores are the sums of the
//     votes as emitted;
//   - the decision rule and the figures the contract's views give, read by
//     ethers: alpha and bravo `compound` with quorumVotes(), aragon
//     `aragon` with getVote()'s support, minimum quorum and voting power.
//
// usage: node kinds.mjs GOVTALLY WORKDIR
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { compile, deadline, deploy, startNode } from '../lib/chain.mjs';

const [GOVTALLY, WORK] = process.argv.slice(2);
fs.mkdirSync(WORK, { recursive: true });
deadline(180_000, 'kinds.mjs');

// Decimal text of v / 10^d, exactly, without trailing zeros.
function decimal(v, d) {
  const s = v.toString().padStart(d + 1, '0');
  const i = s.slice(0, s.length - d), f = s.slice(s.length - d).replace(/0+$/, '');
  return f ? `${i}.${f}` : i;
}

function fetchKind(rpc, address, kind, out, extra = []) {
  execFileSync(GOVTALLY, ['fetch', 'governor', '--rpc', rpc, '--address', address,
                          '--kind', kind, '--rate', '0', '--timeout', '20', '-o', out,
                          ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  // vp and choices kept as text (JSON.parse would round them).
  return fs.readFileSync(out, 'utf8').split('\n').filter((l) => l).map((raw) => ({
    raw, ...JSON.parse(raw.replace(/"(vp|quorum|support|quorum_share|supply)":([0-9.]+)/g,
                                   '"$1":"$2"')),
  }));
}

function tokenScores(exportLine, name) {
  const file = path.join(WORK, name + '.json');
  fs.writeFileSync(file, exportLine.raw + '\n');
  const r = JSON.parse(execFileSync(GOVTALLY, ['run', file, '--format', 'json',
                                               '--schemes', 'token'], { encoding: 'utf8' }));
  return { scores: r.schemes[0].scores, ballots: r.ballots };
}

// The sums of the standing votes per choice (1-based), as decimal text.
function sums(votes, nChoices, d) {
  const s = new Array(nChoices).fill(0n);
  for (const v of votes) s[v.choice - 1] += v.amount;
  return s.map((x) => decimal(x, d));
}

async function main() {
  const node = await startNode();
  try {
    const [deployer, ...w] = node.wallets;
    const out = compile(['GvtEventLogs.sol']);
    const amount = (i) => 10n ** 18n * BigInt(1000 + 37 * i) + 123456789n * BigInt(i + 1);

    // ---- alpha: bool support, no reason
    const alpha = await deploy(deployer, out.GvtAlphaLog);
    const aVotes = [];
    for (const [id, title] of [[11n, 'Alpha one'], [12n, 'Alpha two']]) {
      await (await alpha.propose(id, `# ${title}\nbody`)).wait();
      for (let i = 0; i < 4; i++) {
        const support = (i + Number(id)) % 3 !== 0;
        await (await alpha.vote(w[i].address, id, support, amount(i))).wait();
        aVotes.push({ id, voter: w[i].address, choice: support ? 1 : 2, amount: amount(i) });
      }
    }
    const a = fetchKind(node.url, await alpha.getAddress(), 'alpha', path.join(WORK, 'alpha.jsonl'));
    assert.deepEqual(a.map((e) => e.proposal.id), ['11', '12']);
    for (const e of a) {
      assert.equal(e.proposal.type, 'single-choice');
      assert.deepEqual(e.proposal.choices, ['For', 'Against']);
      const want = aVotes.filter((v) => v.id.toString() === e.proposal.id);
      assert.equal(e.votes.length, want.length);
      for (const v of want) {
        const got = e.votes.find((x) => x.voter === v.voter.toLowerCase());
        assert.ok(got, `alpha vote of ${v.voter}`);
        assert.equal(got.vp, decimal(v.amount, 18));
        assert.equal(got.choice, v.choice);
      }
      assert.deepEqual(tokenScores(e, `alpha${e.proposal.id}`).scores, sums(want, 2, 18));
    }
    assert.equal(a[0].proposal.title, 'Alpha one');
    for (const e of a) {
      assert.equal(e.proposal.rule, 'compound');
      assert.equal(e.proposal.quorum, decimal(await alpha.quorumVotes(), 18));
    }

    // ---- bravo: uint8 support 0 Against, 1 For, 2 Abstain, with reasons;
    // --decimals 6
    const bravo = await deploy(deployer, out.GvtBravoLog);
    await (await bravo.propose(7n, 'Bravo seven')).wait();
    const bVotes = [];
    for (let i = 0; i < 6; i++) {
      const support = i % 3;
      const reason = i % 2 ? `because ${i} \u2014 "q"` : '';
      await (await bravo.vote(w[i].address, 7n, support, amount(i), reason)).wait();
      bVotes.push({ voter: w[i].address, choice: { 0: 2, 1: 1, 2: 3 }[support],
                    amount: amount(i), reason });
    }
    const [b] = fetchKind(node.url, await bravo.getAddress(), 'bravo',
                          path.join(WORK, 'bravo.jsonl'), ['--decimals', '6']);
    assert.equal(b.proposal.type, 'basic');
    assert.deepEqual(b.proposal.choices, ['For', 'Against', 'Abstain']);
    assert.equal(b.votes.length, 6);
    for (const v of bVotes) {
      const got = b.votes.find((x) => x.voter === v.voter.toLowerCase());
      assert.equal(got.vp, decimal(v.amount, 6));
      assert.equal(got.choice, v.choice);
      assert.equal(got.reason, v.reason);
    }
    assert.deepEqual(tokenScores(b, 'bravo').scores, sums(bVotes, 3, 6));
    assert.equal(b.proposal.rule, 'compound');
    assert.equal(b.proposal.quorum, decimal(await bravo.quorumVotes(), 6));

    // ---- aragon: indexed voteId and voter, bool supports, stake; a voter
    // who votes again
    const aragon = await deploy(deployer, out.GvtAragonLog);
    await (await aragon.start(3n, 'ipfs:Qm-metadata')).wait();
    const first = [];
    for (let i = 0; i < 5; i++) {
      await (await aragon.vote(3n, w[i].address, i % 2 === 0, amount(i))).wait();
      first.push({ voter: w[i].address, choice: i % 2 === 0 ? 1 : 2, amount: amount(i) });
    }
    // voter 1 changes its mind: Against -> For, with a new stake
    await (await aragon.vote(3n, w[1].address, true, amount(9))).wait();
    const standing = first.map((v, i) => i === 1
      ? { voter: v.voter, choice: 1, amount: amount(9) } : v);
    const [r] = fetchKind(node.url, await aragon.getAddress(), 'aragon',
                          path.join(WORK, 'aragon.jsonl'));
    assert.equal(r.proposal.id, '3');
    assert.equal(r.proposal.type, 'single-choice');
    assert.equal(r.votes.length, 6, 'both votes of the voter who voted again');
    const again = r.votes.filter((x) => x.voter === w[1].address.toLowerCase());
    assert.equal(again.length, 2);
    assert.equal(again[0].choice, 2);
    assert.equal(again[1].choice, 1, 'the later vote comes later');
    const t = tokenScores(r, 'aragon');
    assert.equal(t.ballots.counted, 5);
    assert.equal(t.ballots.rejected.duplicate, 1);
    assert.deepEqual(t.scores, sums(standing, 2, 18), 'only the later vote counts');
    const gv = await aragon.getVote(3n);
    assert.equal(r.proposal.rule, 'aragon');
    assert.equal(r.proposal.support, decimal(gv.supportRequired, 18));
    assert.equal(r.proposal.quorum_share, decimal(gv.minAcceptQuorum, 18));
    assert.equal(r.proposal.supply, decimal(gv.votingPower, 18));
    console.log('kinds: all checks passed');
  } finally {
    await node.stop();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
