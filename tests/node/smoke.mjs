#!/usr/bin/env node
// smoke.mjs: the `node_harness` test. Runs every piece of lib/chain.mjs
// once against a real local node: start anvil, compile and deploy an
// ERC20Votes token and two OpenZeppelin Governors (GovernorCountingSimple
// and GovernorCountingFractional), delegate, propose, vote with a reason,
// read proposalVotes(); deploy EAS and its SchemaRegistry, register a schema
// and make one attestation through the EAS SDK; stop the node.
// Expected figures come from the token amounts handed out here, not from
// the contracts' answers. Exit 0 passed, 1 failed.

import assert from 'node:assert/strict';
import { ethers } from 'ethers';
import { compile, deadline, deploy, deployEas, easSdk, startNode } from './lib/chain.mjs';

const { EAS, SchemaEncoder, SchemaRegistry } = easSdk();

const step = deadline(90000, 'node_harness');
const t0 = Date.now();
const say = (msg) => console.log(`node_harness: ${msg} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

const E18 = 10n ** 18n;
// Amounts with digits in every position, so that a lost wei shows.
const ALICE = 1234567n * E18 + 890123456789012345n;
const BOB = 765432n * E18 + 109876543210987654n;
const CAROL = 31415n * E18 + 926535897932384626n;
const AGAINST = 0, FOR = 1, ABSTAIN = 2;

async function governorRound(node, out, name, token) {
  const [deployer] = node.wallets;
  const gov = await deploy(deployer, out[name], await token.getAddress(), 1, 20, 4);
  const calls = [[await token.getAddress()], [0n],
                 [token.interface.encodeFunctionData('transfer', [deployer.address, 0n])]];
  const description = `${name}: a proposal of the harness smoke test`;
  const proposed = await (await gov.propose(...calls, description)).wait();
  const created = gov.interface.parseLog(proposed.logs.find(
    (l) => l.topics[0] === gov.interface.getEvent('ProposalCreated').topicHash));
  const id = created.args.proposalId;
  assert.equal(id, await gov.hashProposal(...calls, ethers.id(description)));
  await node.mine(2); // past the voting delay of one block
  assert.equal(await gov.state(id), 1n, 'proposal active');
  return { gov, id };
}

async function main() {
  step('starting anvil');
  const node = await startNode();
  try {
    say(`anvil on ${node.url}`);
    const [deployer, alice, bob, carol] = node.wallets;

    step('compiling the token and the governors');
    const out = compile(['GvtToken.sol', 'GvtGovernor.sol', 'GvtGovernorFractional.sol']);
    say('compiled GvtToken, GvtGovernor, GvtGovernorFractional');

    step('token and delegations');
    const token = await deploy(deployer, out.GvtToken, ALICE + BOB + CAROL);
    for (const [w, amount] of [[alice, ALICE], [bob, BOB], [carol, CAROL]]) {
      await (await token.transfer(w.address, amount)).wait();
      await (await token.connect(w).delegate(w.address)).wait();
    }
    await node.mine(1);
    assert.equal(await token.getVotes(alice.address), ALICE);

    step('GovernorCountingSimple: propose, vote, proposalVotes');
    const simple = await governorRound(node, out, 'GvtGovernor', token);
    const reason = 'for: the harness works';
    const voted = await (await simple.gov.connect(alice).castVoteWithReason(simple.id, FOR, reason)).wait();
    await (await simple.gov.connect(bob).castVote(simple.id, AGAINST)).wait();
    await (await simple.gov.connect(carol).castVote(simple.id, ABSTAIN)).wait();
    const cast = simple.gov.interface.parseLog(voted.logs[0]);
    assert.equal(cast.name, 'VoteCast');
    assert.equal(cast.args.voter, alice.address);
    assert.equal(cast.args.weight, ALICE);
    assert.equal(cast.args.reason, reason);
    const [against, forVotes, abstain] = await simple.gov.proposalVotes(simple.id);
    assert.deepEqual([against, forVotes, abstain], [BOB, ALICE, CAROL]);
    say('GovernorCountingSimple: proposalVotes exact to the wei');

    step('GovernorCountingFractional: a split vote');
    const frac = await governorRound(node, out, 'GvtGovernorFractional', token);
    const split = [ALICE / 3n, ALICE / 2n, ALICE - ALICE / 3n - ALICE / 2n]; // against, for, abstain
    const params = ethers.solidityPacked(['uint128', 'uint128', 'uint128'], split);
    const fvote = await (await frac.gov.connect(alice).castVoteWithReasonAndParams(
      frac.id, 255, 'split three ways', params)).wait();
    await (await frac.gov.connect(bob).castVote(frac.id, FOR)).wait();
    const fcast = frac.gov.interface.parseLog(fvote.logs[0]);
    assert.equal(fcast.name, 'VoteCastWithParams');
    assert.equal(fcast.args.params, params);
    assert.deepEqual([...await frac.gov.proposalVotes(frac.id)],
                     [split[0], split[1] + BOB, split[2]]);
    say('GovernorCountingFractional: split vote counted exactly');

    step('EAS: deploy, register a schema, attest');
    const { registry, eas } = await deployEas(deployer);
    const schema = 'bytes32 nullifier, uint8 score';
    const reg = new SchemaRegistry(await registry.getAddress());
    reg.connect(deployer);
    const uid = await (await reg.register({ schema, resolverAddress: ethers.ZeroAddress,
                                            revocable: true })).wait();
    assert.equal(uid, ethers.solidityPackedKeccak256(['string', 'address', 'bool'],
                                                     [schema, ethers.ZeroAddress, true]));
    assert.equal((await registry.getSchema(uid)).schema, schema);
    const sdk = new EAS(await eas.getAddress());
    sdk.connect(deployer);
    const data = new SchemaEncoder(schema).encodeData([
      { name: 'nullifier', value: ethers.id('one human'), type: 'bytes32' },
      { name: 'score', value: 42, type: 'uint8' },
    ]);
    const auid = await (await sdk.attest({ schema: uid, data: {
      recipient: alice.address, expirationTime: 0n, revocable: true, data } })).wait();
    const rec = await eas.getAttestation(auid);
    assert.equal(rec.recipient, alice.address);
    assert.equal(rec.attester, deployer.address);
    assert.equal(rec.data, data);
    say(`EAS: schema ${uid.slice(0, 10)}... registered, one attestation read back`);

    step('stopping anvil');
  } finally {
    await node.stop();
  }
  const alive = await fetch(node.url, { method: 'POST', body: '{}' }).then(() => true, () => false);
  assert.equal(alive, false, 'the node still answers after stop()');
  say('anvil stopped');
  console.log('1 passed, 0 failed');
}

main().catch((e) => {
  console.error(`node_harness: FAIL: ${e.stack || e}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
