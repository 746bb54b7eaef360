// governor.mjs: `govtally fetch governor` against a real local node (anvil,
// started and stopped here through tests/node/lib/chain.mjs), with
// OpenZeppelin Governors (GovernorCountingSimple and
// GovernorCountingFractional) over an ERC20Votes token, deployed by ethers.
//
// Eight voters with odd amounts (a lost wei shows) delegate; two proposals on
// the simple governor get For/Against/Abstain votes with reasons, one on the
// fractional governor gets a vote split in two partial votes, a split in one
// and whole votes. Between the node and govtally stands a JSON-RPC proxy
// (127.0.0.1) that refuses eth_getLogs over more than 3 blocks with a
// provider's message, so the range must split. Checked:
//   - every vote cast is in the export, weights exact to the wei
//     (vp * 10^18 = the weight), choices as cast, the split parts as given;
//   - `govtally run` on each proposal gives, under the snapshot scheme,
//     exactly the governor's own proposalVotes() (eth_call);
//   - the rule is `openzeppelin` and the quorum is the governor's own
//     quorum(proposalSnapshot()) to the wei; once voting has closed,
//     govtally's decision matches the governor's state(): Succeeded is
//     passed, Defeated is rejected or failed-quorum (two more proposals: one
//     For vote below the quorum, and one carried over it by an Abstain);
//   - the proxy refused ranges and govtally still got every log;
//   - --rpc from ETH_RPC_URL; an unreachable node exits 66.
//
// usage: node governor.mjs GOVTALLY WORKDIR
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ethers } from 'ethers';
import { compile, deadline, deploy, startNode } from '../lib/chain.mjs';

const [GOVTALLY, WORK] = process.argv.slice(2);
fs.mkdirSync(WORK, { recursive: true });
deadline(240_000, 'governor.mjs');
const E18 = 10n ** 18n;
const AGAINST = 0, FOR = 1, ABSTAIN = 2;

// A proxy that refuses eth_getLogs over more than MAX blocks.
function rangeProxy(target, max) {
  const stats = { refused: 0, logs: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', async () => {
      const msg = JSON.parse(body);
      if (msg.method === 'eth_getLogs') {
        stats.logs++;
        const f = msg.params[0];
        if (Number(BigInt(f.toBlock)) - Number(BigInt(f.fromBlock)) + 1 > max) {
          stats.refused++;
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id,
            error: { code: -32005, message: `query exceeds max block range ${max}` } }));
          return;
        }
      }
      const r = await fetch(target, { method: 'POST', body,
                                      headers: { 'Content-Type': 'application/json' } });
      res.setHeader('Content-Type', 'application/json');
      res.end(await r.text());
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve({ url: `http://127.0.0.1:${server.address().port}`, stats,
              close: () => new Promise((r) => server.close(r)) })));
}

// Runs govtally asynchronously: the proxy answers from this process.
function fetchGovernor(rpc, address, out, env = {}) {
  const args = ['fetch', 'governor', '--address', address, '-o', out, '--rate', '0',
                '--backoff', '20', '--retries', '2', '--timeout', '20'];
  if (rpc) args.push('--rpc', rpc);
  return new Promise((resolve) => {
    const child = spawn(GOVTALLY, args, { env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stderr }); });
  });
}

// Each line as its text and as an object whose vp and choice weights stay
// text (JSON.parse would round them to doubles).
function lines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l).map((raw) => ({
    raw,
    ...JSON.parse(raw.replace(/"(vp|quorum)":([0-9.]+)/g, '"$1":"$2"')
                     .replace(/"([123])":([0-9]+)/g, '"$1":"$2"')),
  }));
}

// vp text (decimal) back to wei, exactly.
function wei(text) {
  const [i, f = ''] = String(text).split('.');
  return BigInt(i) * E18 + BigInt((f + '0'.repeat(18)).slice(0, 18));
}

function runScores(exportLine, name) {
  const file = path.join(WORK, name + '.json');
  fs.writeFileSync(file, exportLine.raw + '\n');
  const out = execFileSync(GOVTALLY, ['run', file, '--format', 'json', '--schemes', 'snapshot'],
                           { encoding: 'utf8' });
  return JSON.parse(out).schemes[0].scores.map(wei);
}

function runDecision(exportLine, name) {
  const file = path.join(WORK, name + '-d.json');
  fs.writeFileSync(file, exportLine.raw + '\n');
  const out = execFileSync(GOVTALLY, ['run', file, '--format', 'json'], { encoding: 'utf8' });
  return JSON.parse(out).decision;
}

async function main() {
  const node = await startNode();
  let proxy;
  try {
    const [deployer, ...voters] = node.wallets;
    const out = compile(['GvtToken.sol', 'GvtGovernor.sol', 'GvtGovernorFractional.sol']);
    const amounts = voters.slice(0, 8).map((_, i) =>
      BigInt(1000 + 7919 * i) * E18 + BigInt(123456789012345678n + 1111111111111n * BigInt(i)));
    const total = amounts.reduce((a, b) => a + b, 0n);
    const token = await deploy(deployer, out.GvtToken, total);
    for (let i = 0; i < amounts.length; i++) {
      await (await token.transfer(voters[i].address, amounts[i])).wait();
      await (await token.connect(voters[i]).delegate(voters[i].address)).wait();
    }
    await node.mine(1);
    const simple = await deploy(deployer, out.GvtGovernor, await token.getAddress(), 1, 50, 4);
    const frac = await deploy(deployer, out.GvtGovernorFractional, await token.getAddress(), 1, 50, 4);

    async function propose(gov, description) {
      const calls = [[await token.getAddress()], [0n],
                     [token.interface.encodeFunctionData('transfer', [deployer.address, 0n])]];
      const rc = await (await gov.propose(...calls, description)).wait();
      const ev = gov.interface.parseLog(rc.logs.find(
        (l) => l.topics[0] === gov.interface.getEvent('ProposalCreated').topicHash));
      return ev.args.proposalId;
    }
    const cast = new Map(); // proposal id -> [{voter, choice, weight, parts, reason}]
    const note = (id, v) => { const k = id.toString(); cast.set(k, [...(cast.get(k) || []), v]); };

    const p1 = await propose(simple, '# Proposal one\nFund the thing');
    const p2 = await propose(simple, 'Proposal two: \u00e9t\u00e9 "quoted"');
    await node.mine(2);
    const supports = [FOR, AGAINST, ABSTAIN, FOR, FOR, AGAINST, ABSTAIN, FOR];
    for (let i = 0; i < 8; i++) {
      const reason = i % 2 ? `reason ${i}: \u2014 "why"\n` : '';
      const gov = simple.connect(voters[i]);
      await (await (reason ? gov.castVoteWithReason(p1, supports[i], reason)
                           : gov.castVote(p1, supports[i]))).wait();
      note(p1, { voter: voters[i].address, support: supports[i], weight: amounts[i], reason });
      if (i < 5) {
        const s = supports[(i + 1) % 8];
        await (await gov.castVote(p2, s)).wait();
        note(p2, { voter: voters[i].address, support: s, weight: amounts[i], reason: '' });
      }
    }
    // p4: one small For, below the 4% quorum; p5: the same For and a large
    // Abstain, which carries the quorum (For and Abstain count toward it)
    const p4 = await propose(simple, 'Below the quorum');
    const p5 = await propose(simple, 'Carried by an Abstain');
    await node.mine(2);
    await (await simple.connect(voters[0]).castVote(p4, FOR)).wait();
    note(p4, { voter: voters[0].address, support: FOR, weight: amounts[0], reason: '' });
    await (await simple.connect(voters[0]).castVote(p5, FOR)).wait();
    note(p5, { voter: voters[0].address, support: FOR, weight: amounts[0], reason: '' });
    await (await simple.connect(voters[7]).castVote(p5, ABSTAIN)).wait();
    note(p5, { voter: voters[7].address, support: ABSTAIN, weight: amounts[7], reason: '' });
    await node.mine(60); // past every deadline: state() is final

    const p3 = await propose(frac, 'Fractional');
    await node.mine(2);
    // voter 0: two partial votes; voter 1: one split; others whole
    const a = amounts[0];
    const part1 = [a / 5n, a / 7n, 3n];          // against, for, abstain
    const part2 = [a / 3n, 0n, a / 11n];
    const pk = (p) => ethers.solidityPacked(['uint128', 'uint128', 'uint128'], p);
    await (await frac.connect(voters[0]).castVoteWithReasonAndParams(p3, 255, 'first part', pk(part1))).wait();
    await (await frac.connect(voters[0]).castVoteWithReasonAndParams(p3, 255, 'second part', pk(part2))).wait();
    const b = amounts[1];
    const split = [b / 2n, b - b / 2n - 1n, 1n];
    await (await frac.connect(voters[1]).castVoteWithReasonAndParams(p3, 255, '', pk(split))).wait();
    for (let i = 2; i < 6; i++)
      await (await frac.connect(voters[i]).castVote(p3, supports[i])).wait();

    proxy = await rangeProxy(node.url, 3);
    const file = path.join(WORK, 'simple.jsonl');
    let r = await fetchGovernor(proxy.url, await simple.getAddress(), file);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(proxy.stats.refused > 0, 'the proxy refused no range: nothing split');
    const got = lines(file);
    assert.equal(got.length, 4);
    for (const [k, pid] of [[0, p1], [1, p2], [2, p4], [3, p5]]) {
      const e = got[k];
      assert.equal(e.proposal.id, pid.toString());
      assert.equal(e.proposal.type, 'basic');
      const want = cast.get(pid.toString());
      assert.equal(e.votes.length, want.length);
      for (const w of want) {
        const v = e.votes.find((x) => x.voter === w.voter.toLowerCase());
        assert.ok(v, `vote of ${w.voter}`);
        assert.equal(wei(v.vp), w.weight, 'weight to the wei');
        assert.equal(v.choice, { [FOR]: 1, [AGAINST]: 2, [ABSTAIN]: 3 }[w.support]);
        assert.ok(Number.isInteger(v.created) && v.created > 1.6e9, 'created: a timestamp');
        assert.equal(v.reason, w.reason);
      }
      const [against, forVotes, abstain] = await simple.proposalVotes(pid);
      assert.deepEqual(runScores(e, `simple${k}`), [forVotes, against, abstain],
                       'run = proposalVotes()');
      assert.equal(e.proposal.rule, 'openzeppelin');
      assert.equal(wei(e.proposal.quorum), await simple.quorum(await simple.proposalSnapshot(pid)),
                   'quorum = quorum(proposalSnapshot()) to the wei');
      const state = Number(await simple.state(pid));
      const outcome = runDecision(e, `simple${k}`).outcome;
      assert.ok(state === 3 || state === 4, `state ${state}: voting has closed`);
      assert.ok(state === 4 ? outcome === 'passed' : ['rejected', 'failed-quorum'].includes(outcome),
                `proposal ${k}: state() ${state}, govtally ${outcome}`);
    }
    // the two cases are what they are meant to be
    assert.equal(runDecision(got[2], 'below').outcome, 'failed-quorum');
    assert.equal(Number(await simple.state(p5)), 4);
    assert.equal(runDecision(got[3], 'carried').carried_by_quorum, true);
    assert.equal(got[0].proposal.title, 'Proposal one');
    // From a governor address to a replayed history: fetch, then replay.
    const rows = execFileSync(GOVTALLY, ['replay', file, '--format', 'csv'], { encoding: 'utf8' })
      .trim().split('\n');
    assert.equal(rows.length, 5, 'replay: a header and a row per proposal');

    const ffile = path.join(WORK, 'frac.jsonl');
    r = await fetchGovernor(null, await frac.getAddress(), ffile, { ETH_RPC_URL: proxy.url });
    assert.equal(r.status, 0, r.stderr);
    const [fe] = lines(ffile);
    assert.equal(fe.proposal.type, 'weighted');
    assert.equal(fe.votes.length, 6, 'one ballot per voter');
    const v0 = fe.votes.find((x) => x.voter === voters[0].address.toLowerCase());
    assert.equal(wei(v0.vp), part1.reduce((x, y) => x + y) + part2.reduce((x, y) => x + y));
    const sum = (i) => (part1[i] + part2[i]).toString();
    assert.deepEqual(v0.choice, { 1: sum(1), 2: sum(0), 3: sum(2) }, 'parts summed');
    const v1 = fe.votes.find((x) => x.voter === voters[1].address.toLowerCase());
    assert.deepEqual(v1.choice, { 1: split[1].toString(), 2: split[0].toString(),
                                  3: split[2].toString() });
    assert.equal(v0.reason, 'second part');
    const [fa, ff, fab] = await frac.proposalVotes(p3);
    assert.deepEqual(runScores(fe, 'frac'), [ff, fa, fab], 'fractional: run = proposalVotes()');

    // Nothing listens: 66.
    await proxy.close();
    r = await fetchGovernor(proxy.url, await simple.getAddress(), path.join(WORK, 'gone.jsonl'));
    assert.equal(r.status, 66, r.stderr);
    proxy = null;
    console.log('governor: all checks passed');
  } finally {
    if (proxy) await proxy.close();
    await node.stop();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
