// eas.mjs: `govtally fetch eas` against a real local node (anvil, started
// and stopped here through tests/node/lib/chain.mjs) with the EAS contracts
// (eas-contracts 1.7.1) deployed by ethers and used through the EAS SDK
// 2.10.0 (the `fetch_eas` test).
//
// A schema is registered; an attester makes five attestations of it (one
// with a short expiration), a stranger one, the attester one of another
// schema; one is revoked. Checked:
//   - `fetch eas` writes exactly the schema's attestations, in the order
//     they were made, each field equal to what the SDK's getAttestation
//     reports and each block, transaction and log index to the receipt of
//     the transaction that made it; the revoked one with its revocation;
//   - --attester keeps the attester's only; --to-block before the
//     revocation reads the record as not yet revoked;
//   - `govtally run` of a made-up proposal voted by the recipients, with the
//     fetched records and a trust file naming the source: the wallets the
//     schema's humanId links are one human; the revoked, expired and
//     untrusted records are counted under their reasons;
//   - off-chain attestations the attester revoked on chain (revokeOffchain)
//     come out as RevokedOffchain lines equal to the receipts and the SDK's
//     getRevocationOffchain, and make the off-chain package revoked; one
//     revoked by someone else does not;
//   - an edited record is refused (bad-signature), a wrong contract gives
//     no record, an unreachable node exits 66.
//
// usage: node eas.mjs GOVTALLY WORKDIR
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ethers } from 'ethers';
import { deadline, deployEas, easSdk, startNode } from '../lib/chain.mjs';
import { govtally, scratch } from '../lib/cli.mjs';

const [GOVTALLY, WORK] = process.argv.slice(2);
const step = deadline(120_000, 'fetch/eas.mjs');
const file = scratch(WORK);
const run = govtally(GOVTALLY, (e) => ({ status: e.status, stderr: e.stderr, stdout: e.stdout }));
const lines = (name) => fs.readFileSync(file(name), 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));

const { EAS, Offchain, SchemaEncoder, SchemaRegistry } = easSdk();
const FIELDS = 'uint256 score, bytes32 humanId';
const human = (h) => ethers.id(`fetch eas human ${h}`);
const encode = (score, h) => new SchemaEncoder(FIELDS).encodeData([
  { name: 'score', value: BigInt(score), type: 'uint256' },
  { name: 'humanId', value: human(h), type: 'bytes32' }]);

let passed = 0;
const node = await startNode();
try {
  step('deploy');
  const [deployer, attester, stranger, ...voters] = node.wallets;
  const { registry, eas } = await deployEas(deployer);
  const easAddress = await eas.getAddress();
  await (await registry.register(FIELDS, ethers.ZeroAddress, true)).wait();
  await (await registry.register('bool isHuman', ethers.ZeroAddress, true)).wait();
  const SCHEMA = SchemaRegistry.getSchemaUID(FIELDS, ethers.ZeroAddress, true);
  const OTHER = SchemaRegistry.getSchemaUID('bool isHuman', ethers.ZeroAddress, true);

  step('attest');
  const sdk = new EAS(easAddress);
  const made = []; // {uid, block, tx, logIndex, attester}
  async function attest(signer, recipient, data, { schema = SCHEMA, expirationTime = 0n } = {}) {
    sdk.connect(signer);
    const tx = await sdk.attest({ schema, data: { recipient, expirationTime, revocable: true,
      refUID: ethers.ZeroHash, data } });
    const uid = await tx.wait();
    const log = tx.receipt.logs.find((l) => l.address.toLowerCase() === easAddress.toLowerCase());
    const rec = { uid, block: tx.receipt.blockNumber, tx: tx.receipt.hash, logIndex: log.index,
      attester: signer.address, schema };
    if (schema === SCHEMA) made.push(rec);
    return rec;
  }
  const now = (await node.provider.getBlock('latest')).timestamp;
  await attest(attester, voters[0].address, encode(30, 0));
  await attest(attester, voters[1].address, encode(25, 0));
  await attest(attester, voters[2].address, encode(40, 1));
  const revoked = await attest(attester, voters[3].address, encode(22, 2));
  await attest(attester, voters[4].address, encode(21, 3), { expirationTime: BigInt(now + 100) });
  await attest(stranger, voters[5].address, encode(50, 4));
  await attest(attester, voters[6].address, new SchemaEncoder('bool isHuman').encodeData(
    [{ name: 'isHuman', value: true, type: 'bool' }]), { schema: OTHER });
  const beforeRevoke = await node.provider.getBlockNumber();
  sdk.connect(attester);
  const rtx = await sdk.revoke({ schema: SCHEMA, data: { uid: revoked.uid } });
  await rtx.wait();
  const rlog = rtx.receipt.logs.find((l) => l.address.toLowerCase() === easAddress.toLowerCase());
  revoked.revocation = { block: rtx.receipt.blockNumber, tx: rtx.receipt.hash, logIndex: rlog.index };
  // off-chain packages on this chain and contract; A revokes offA on chain,
  // the stranger "revokes" offB (not its own: no effect)
  const off = new Offchain({ address: easAddress, version: await eas.version(), chainId: 31337n }, 2);
  const offchain = async (recipient, h) => ({ sig: await off.signOffchainAttestation({ recipient,
    expirationTime: 0n, time: BigInt(now), revocable: true, schema: SCHEMA, refUID: ethers.ZeroHash,
    data: encode(0, h) }, attester), signer: attester.address });
  const offA = await offchain(voters[6].address, 6);
  const offB = await offchain(voters[0].address, 0);
  fs.writeFileSync(file('offchain.jsonl'), [offA, offB].map((p) => JSON.stringify(p,
    (k, v) => (typeof v === 'bigint' ? v.toString() : v))).join('\n') + '\n');
  const revokedOff = [];
  for (const [who, pkg] of [[attester, offA], [stranger, offB]]) {
    sdk.connect(who);
    const t = await sdk.revokeOffchain(pkg.sig.uid);
    await t.wait();
    const l = t.receipt.logs.find((x) => x.address.toLowerCase() === easAddress.toLowerCase());
    revokedOff.push({ revoker: who.address.toLowerCase(), uid: pkg.sig.uid, block: t.receipt.blockNumber,
      tx: t.receipt.hash, log_index: l.index, time: Number(await sdk.getRevocationOffchain(who.address,
        pkg.sig.uid)) });
  }
  await node.mine(3);

  step('fetch eas');
  const base = ['fetch', 'eas', '--rpc', node.url, '--contract', easAddress, '--schema', SCHEMA];
  run([...base, '-o', file('all.jsonl')]);
  const latest = await node.provider.getBlockNumber();
  const fetched = lines('all.jsonl');
  const all = fetched.filter((r) => !r.event);
  assert.deepEqual(fetched.filter((r) => r.event).map(({ revoker, uid, block, tx, log_index, time,
    event, chain_id, read_at }) => ({ revoker, uid, block, tx, log_index, time, event, chain_id, read_at })),
  revokedOff.map((r) => ({ ...r, event: 'RevokedOffchain', chain_id: 31337, read_at: latest })),
  'RevokedOffchain lines as the receipts and getRevocationOffchain say');
  assert.deepEqual(all.map((r) => r.uid), made.map((m) => m.uid), 'exactly the schema\'s attestations, in order');
  for (const [i, r] of all.entries()) {
    const m = made[i];
    const a = await sdk.getAttestation(m.uid); // the SDK's own read of the contract
    assert.equal(r.format, 'gvt-eas-onchain/1');
    assert.equal(r.chain_id, 31337);
    assert.equal(r.contract, easAddress.toLowerCase());
    assert.equal(r.read_at, latest);
    assert.deepEqual([r.block, r.tx, r.log_index], [m.block, m.tx, m.logIndex], `where ${i}`);
    assert.equal(r.schema, a.schema);
    assert.equal(r.recipient, a.recipient.toLowerCase());
    assert.equal(r.attester, a.attester.toLowerCase());
    assert.equal(r.attester, m.attester.toLowerCase());
    assert.equal(BigInt(r.time), a.time);
    assert.equal(BigInt(r.expiration_time), a.expirationTime);
    assert.equal(BigInt(r.revocation_time), a.revocationTime);
    assert.equal(r.ref_uid, a.refUID);
    assert.equal(r.revocable, a.revocable);
    assert.equal(r.data, a.data);
    assert.equal(r.bump, 0);
    if (m === revoked) {
      assert.ok(a.revocationTime > 0n);
      assert.deepEqual(r.revoked, { block: m.revocation.block, tx: m.revocation.tx,
        log_index: m.revocation.logIndex });
    } else {
      assert.equal(r.revoked, undefined);
    }
  }
  console.log(`fetch eas: ${all.length} records as the SDK reads them: ok`);
  passed++;

  run([...base, '--attester', attester.address, '-o', file('attester.jsonl')]);
  assert.deepEqual(lines('attester.jsonl').map((r) => r.uid),
    [...made.filter((m) => m.attester === attester.address).map((m) => m.uid), offA.sig.uid],
    '--attester: its attestations and its off-chain revocation');
  run([...base, '--to-block', String(beforeRevoke), '-o', file('before.jsonl')]);
  const before = lines('before.jsonl');
  assert.equal(before.filter((r) => r.event).length, 0, 'no off-chain revocation yet');
  assert.equal(before.length, made.length);
  const early = before.find((r) => r.uid === revoked.uid);
  assert.equal(early.revocation_time, 0);
  assert.equal(early.revoked, undefined);
  assert.equal(early.read_at, beforeRevoke);
  console.log('--attester and --to-block: ok');
  passed++;

  step('tally');
  const votes = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
    id: `0x${(i + 1).toString(16).padStart(64, '0')}`, voter: voters[i].address,
    choice: i < 2 ? 1 : 2, vp: 10 + i, created: now + 10000 + i,
  }));
  fs.writeFileSync(file('proposal.json'), JSON.stringify({
    proposal: { id: '0xfetch-eas', type: 'single-choice', choices: ['yes', 'no'], space: 'dao.eth',
      start: now, end: now + 20000 }, votes }));
  fs.writeFileSync(file('trust.json'), JSON.stringify({ v: 1, issuers: [{
    name: 'onchain-humans', attester: attester.address, schema: SCHEMA, chain_id: 31337,
    contract: easAddress, fields: FIELDS, nullifier: 'humanId' }] }));
  const result = JSON.parse(run(['run', file('proposal.json'), '-a', file('all.jsonl'), '-i',
    file('trust.json'), '--schemes', 'personhood', '--format', 'json']));
  const id = result.identity;
  // voters 0 and 1 share human 0; voter 2 is human 1; voter 3 revoked,
  // voter 4 expired (the vote is after the expiration), voter 5 untrusted,
  // voter 6 never attested
  assert.equal(id.humans, 2, 'humans {0, 1} and {2}');
  assert.equal(id.verified_wallets, 3);
  assert.equal(id.unverified_wallets, 4);
  assert.equal(id.attestations.valid, 3);
  assert.equal(id.attestations.rejected.revoked, 1);
  assert.equal(id.attestations.rejected.expired, 1);
  assert.equal(id.attestations.rejected['untrusted-issuer'], 1);
  const ph = result.schemes.find((s) => s.id === 'personhood');
  assert.deepEqual(ph.scores.map(Number), [1, 1], 'one human a vote each way (voters 0 and 1 are one)');
  console.log('a personhood tally over the fetched records: ok');
  passed++;

  const offv = JSON.parse(run(['attest', 'verify', '-i', file('trust.json'), file('offchain.jsonl'),
    file('all.jsonl')], [1]).stdout);
  assert.equal(offv.read, 2 + all.length);
  assert.equal(offv.rejected.revoked, 2, 'offA (revoked off chain by A) and the on-chain one');
  const offOnly = JSON.parse(run(['attest', 'verify', '-i', file('trust.json'), file('offchain.jsonl')]));
  assert.equal(offOnly.valid, 2, 'without the fetched revocations both packages stand');
  console.log('off-chain revocations: ok');
  passed++;

  step('refusals');
  const edited = fetched.map((r) => (r.uid === made[0].uid ? { ...r, recipient: voters[6].address.toLowerCase() } : r));
  fs.writeFileSync(file('edited.jsonl'), edited.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const v = JSON.parse(run(['attest', 'verify', '-i', file('trust.json'), file('edited.jsonl')], [1]).stdout);
  assert.equal(v.rejected['bad-signature'], 1, 'an edited record');
  run(['fetch', 'eas', '--rpc', node.url, '--contract', await registry.getAddress(), '--schema', SCHEMA,
    '-o', file('none.jsonl')]);
  assert.equal(lines('none.jsonl').length, 0, 'another contract has no such events');
  const down = run(['fetch', 'eas', '--rpc', 'http://127.0.0.1:9', '--contract', easAddress, '--schema',
    SCHEMA, '--retries', '0', '-o', file('down.jsonl')], [66]);
  assert.equal(down.status, 66);
  assert.ok(!fs.existsSync(file('down.jsonl')), 'no partial output');
  console.log('edited record, other contract, unreachable node: ok');
  passed++;
} finally {
  await node.stop();
}
console.log(`${passed} passed, 0 failed`);
