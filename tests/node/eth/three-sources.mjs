// three-sources.mjs: the inputs of fixtures/identity-three-sources, made by
// the EAS SDK, anvil and govtally, and the operator path of
// docs/identity.md ("From the credentials you have to a personhood tally")
// run as written (the `fixture_three_sources` test).
//
//   node three-sources.mjs GOVTALLY FIXTURE_DIR WORKDIR [--write]
//
// A local node (anvil, genesis at 1700000000, one second a block) gets the
// EAS contracts; attester A registers the schema "bytes32 humanId" and
// attests on chain: wallet W2 (human P) and V6 (another human), then
// revokes V6's. A signs off chain (EAS SDK, version 2, fixed salt) for W1
// (human P) on the same chain and contract. `govtally fetch eas` reads the
// on-chain records; an operator signs the Passport export passport.csv
// (W3 and V4 pass, V5 scores below 20) with an Ethereum key. Every step is
// deterministic (keys, nonces, block times, RFC 6979 signatures, the salt),
// so the files equal the committed ones byte for byte; --write replaces
// them instead. Then the shell block of docs/identity.md's operator path is
// run as written (with a fresh operator key) against the same node and its
// tally compared with the fixture's hand-computed expectations.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ethers } from 'ethers';
import { REPO_DIR, deadline, deployEas, easSdk, startNode } from '../lib/chain.mjs';

const [GOVTALLY, FIXTURE, WORK, mode] = process.argv.slice(2);
const write = mode === '--write';
fs.rmSync(WORK, { recursive: true, force: true });
fs.mkdirSync(WORK, { recursive: true });
const step = deadline(150_000, 'three-sources.mjs');
const out = (name) => path.join(write ? FIXTURE : WORK, name);
const gt = (args, opts = {}) => execFileSync(GOVTALLY, args,
  { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'], ...opts });

const { EAS, Offchain, SchemaEncoder, SchemaRegistry } = easSdk();
const FIELDS = 'bytes32 humanId';
const encode = (h) => new SchemaEncoder(FIELDS).encodeData(
  [{ name: 'humanId', value: ethers.id(`three-sources human ${h}`), type: 'bytes32' }]);

let passed = 0;
const node = await startNode({ args: ['--timestamp', '1700000000'] });
try {
  step('deploy');
  await node.rpc('anvil_setBlockTimestampInterval', [1]);
  const [deployer, attester, , w1, w2, w3, v4, v5, v6] = node.wallets;
  const { registry, eas } = await deployEas(deployer);
  const easAddress = await eas.getAddress();
  await (await registry.connect(attester).register(FIELDS, ethers.ZeroAddress, true)).wait();
  const SCHEMA = SchemaRegistry.getSchemaUID(FIELDS, ethers.ZeroAddress, true);

  step('attest');
  const sdk = new EAS(easAddress);
  sdk.connect(attester);
  const onchain = async (recipient, h) => (await sdk.attest({ schema: SCHEMA, data: {
    recipient, expirationTime: 0n, revocable: true, refUID: ethers.ZeroHash, data: encode(h) } })).wait();
  await onchain(w2.address, 'P');
  const uid6 = await onchain(v6.address, 'V6');
  await (await sdk.revoke({ schema: SCHEMA, data: { uid: uid6 } })).wait();
  const last = await node.provider.getBlockNumber();

  const off = new Offchain({ address: easAddress, version: await eas.version(), chainId: 31337n }, 2);
  const pkg = await off.signOffchainAttestation({
    recipient: w1.address, expirationTime: 0n, time: 1700000100n, revocable: true, schema: SCHEMA,
    refUID: ethers.ZeroHash, data: encode('P'), salt: ethers.id('three-sources salt'),
  }, attester);
  assert.ok(off.verifyOffchainAttestationSignature(attester.address, pkg));
  fs.writeFileSync(out('eas-offchain.jsonl'), JSON.stringify({ sig: pkg, signer: attester.address },
    (k, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');

  step('fetch eas');
  gt(['fetch', 'eas', '--rpc', node.url, '--contract', easAddress, '--schema', SCHEMA,
    '--to-block', String(last), '-o', out('eas-onchain.jsonl')]);

  step('passport');
  const passport = ['address,score',
    `${w3.address},24.5`, `${v4.address},31`, `${v5.address},12.75`,
    '0xnot-an-address,40', ''].join('\n');
  fs.writeFileSync(out('passport.csv'), passport);
  const operator = new ethers.Wallet(ethers.id('three-sources operator'));
  fs.writeFileSync(path.join(WORK, 'operator.key'), `${operator.privateKey}\n`);
  gt(['attest', 'sign', '-k', path.join(WORK, 'operator.key'), '--scope', '*', '--issued-at',
    '1700000000', '--list', 'passport', '--skipped', out('passport-skipped.csv'), '-o',
    out('passport.jsonl'), out('passport.csv')]);

  const issuers = { v: 1, issuers: [
    { name: 'humans-eas', attester: attester.address, schema: SCHEMA, chain_id: 31337,
      contract: easAddress, fields: FIELDS, nullifier: 'humanId' },
    { name: 'passport-operator', address: operator.address }] };
  fs.writeFileSync(out('issuers.json'), JSON.stringify(issuers, null, 1) + '\n');
  const votes = [[w1, 100, 1], [w2, 200, 1], [w3, 300, 1], [v4, 400, 2], [v5, 25, 2], [v6, 49, 2]]
    .map(([w, vp, choice], i) => ({ id: `0x${(i + 1).toString(16).padStart(64, '0')}`,
      voter: w.address, choice, vp, created: 1700100000 + 10 * i }));
  fs.writeFileSync(out('proposal.json'), JSON.stringify({ proposal: {
    id: '0xthree-sources', type: 'single-choice', choices: ['Yes', 'No'], space: 'three.eth',
    start: 1700090000, end: 1700200000 }, votes }, null, 1) + '\n');

  if (!write) {
    for (const f of ['eas-offchain.jsonl', 'eas-onchain.jsonl', 'passport.csv', 'passport.jsonl',
      'passport-skipped.csv', 'issuers.json', 'proposal.json'])
      assert.equal(fs.readFileSync(out(f), 'utf8'), fs.readFileSync(path.join(FIXTURE, f), 'utf8'),
        `${f}: regenerated, differs from the fixture's`);
    console.log('the fixture\'s records regenerated byte for byte: ok');
    passed++;
  }

  step('the operator path of docs/identity.md');
  const doc = fs.readFileSync(path.join(REPO_DIR, 'docs', 'identity.md'), 'utf8');
  const section = doc.split('\n## From the credentials you have')[1];
  assert.ok(section, 'docs/identity.md has the operator path');
  const block = /```sh\n([\s\S]*?)```/.exec(section)[1];
  const dir = path.join(WORK, 'operator-path');
  fs.mkdirSync(dir);
  for (const f of ['passport.csv', 'eas-offchain.jsonl', 'proposal.json'])
    fs.copyFileSync(out(f), path.join(dir, f));
  execFileSync('bash', ['-euo', 'pipefail', '-c', block], { cwd: dir, encoding: 'utf8',
    timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${path.dirname(path.resolve(GOVTALLY))}:${process.env.PATH}`,
      ETH_RPC_URL: node.url, EAS: easAddress, SCHEMA, ATTESTER: attester.address,
      CHAIN_ID: '31337', TO_BLOCK: String(last) } });
  const got = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
  const want = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'fixture.json'), 'utf8')).expect;
  assert.deepEqual(got.identity, want.identity, 'the operator path: identity');
  for (const s of got.schemes) {
    const w = want.schemes[s.id];
    assert.deepEqual({ scores: s.scores, winners: s.winners }, w, `the operator path: ${s.id}`);
  }
  console.log('the operator path of docs/identity.md, run as written: ok');
  passed++;
} finally {
  await node.stop();
}
console.log(`${passed} passed, 0 failed`);
