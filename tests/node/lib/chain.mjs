// chain.mjs: a local Ethereum node for tests, Solidity compiled with
// solc-js, contracts deployed with ethers 6. See ../README.md.
//
//   const node = await startNode();          // anvil on 127.0.0.1, free port
//   try {
//     const out = compile(['GvtToken.sol']);  // tests/node/contracts, cached
//     const token = await deploy(node.wallets[0], out.GvtToken, 10n ** 24n);
//     ...
//   } finally {
//     await node.stop();
//   }
//
// The node is anvil from the npm package @foundry-rs/anvil (its Linux
// binary arrives as an npm package; nothing is downloaded at run time). It
// listens on 127.0.0.1 only, on a port the system picks (--port 0, read
// back from its "Listening on" line), and is bounded in time twice: under
// coreutils `timeout` (it dies after `lifetime` seconds even if this
// process is killed with SIGKILL) and killed when this process exits.
// EIP-170's contract size limit is off (compile() leaves the optimizer off
// by default, and unoptimised Governor and EAS code is larger than 24 KiB).

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ethers } from 'ethers';

const require = createRequire(import.meta.url);
export const HARNESS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = path.resolve(HARNESS_DIR, '..', '..');
export const CONTRACTS_DIR = path.join(HARNESS_DIR, 'contracts');
const NODE_MODULES = path.join(HARNESS_DIR, 'node_modules');

// anvil's (and hardhat's) well-known development mnemonic: its accounts are
// funded at genesis and their keys are public, for tests only.
export const MNEMONIC = 'test test test test test test test test test test test junk';

// ---- the node ------------------------------------------------------------

function anvilBinary() {
  if (process.env.GVT_ANVIL) return process.env.GVT_ANVIL;
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  let dir;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`anvil not installed (${pkg}): run \`npm ci\` in ${HARNESS_DIR}`);
  }
  return path.join(dir, 'bin', 'anvil');
}

function haveTimeout() {
  return ['/usr/bin/timeout', '/bin/timeout'].find((p) => fs.existsSync(p));
}

// Each node runs in a process group of its own (timeout and anvil), killed
// whole: when stopped, when this process exits, and on SIGINT or SIGTERM.
const live = new Set();
function killGroup(child, sig) {
  try {
    process.kill(-child.pid, sig);
  } catch {
    // already gone
  }
}
process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    process.stderr.write(`chain.mjs: ${sig}: stopping the local node\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

/**
 * Starts anvil and waits until it answers.
 * options: accounts (10), balance in ether (10000), chainId (31337),
 *   blockTime (seconds; default: a block per transaction), hardfork,
 *   startTimeout (ms to wait for "Listening", 20000), lifetime (s, 600),
 *   args (more anvil arguments).
 * Returns { url, port, chainId, provider, wallets, accounts, rpc, mine,
 *   increaseTime, log, stop }: wallets are ethers Wallets of the funded
 *   accounts connected to the provider; accounts their {address,
 *   privateKey}; rpc(method, params) a raw JSON-RPC call; log() what anvil
 *   printed (the last 64 KiB).
 */
export async function startNode(options = {}) {
  const {
    accounts = 10, balance = 10000, chainId = 31337, blockTime, hardfork,
    startTimeout = 20000, lifetime = 600, args = [],
  } = options;
  const argv = ['--host', '127.0.0.1', '--port', '0', '--accounts', String(accounts),
                '--balance', String(balance), '--chain-id', String(chainId),
                '--mnemonic', MNEMONIC, '--disable-code-size-limit'];
  if (blockTime) argv.push('--block-time', String(blockTime));
  if (hardfork) argv.push('--hardfork', hardfork);
  argv.push(...args);

  const bin = anvilBinary();
  const timeoutBin = haveTimeout();
  const how = { stdio: ['ignore', 'pipe', 'pipe'], detached: true };
  const child = timeoutBin
    ? spawn(timeoutBin, ['-k', '5', String(lifetime), bin, ...argv], how)
    : spawn(bin, argv, how);
  live.add(child);
  let out = '';
  const keep = (d) => {
    out += d.toString();
    if (out.length > 65536) out = out.slice(-65536);
  };
  child.stderr.on('data', keep);

  let port;
  try {
    port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `anvil did not listen within ${startTimeout} ms`)), startTimeout);
      child.stdout.on('data', (d) => {
        keep(d);
        const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      child.on('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`anvil exited (${sig || code}) before listening`));
      });
    });
  } catch (e) {
    killGroup(child, 'SIGKILL');
    live.delete(child);
    throw new Error(`${e.message}\n${out.slice(-4000)}`);
  }

  const url = `http://127.0.0.1:${port}`;
  // No response cache: ethers would otherwise answer a second nonce query
  // within 250 ms from the first, and the next transaction would reuse it.
  const provider = new ethers.JsonRpcProvider(url, chainId,
    { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  const keys = [];
  for (let i = 0; i < accounts; i++) {
    const w = ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`);
    keys.push({ address: w.address, privateKey: w.privateKey });
  }
  const wallets = keys.map((k) => new ethers.Wallet(k.privateKey, provider));
  const rpc = (method, params = []) => provider.send(method, params);

  let stopped = null;
  const stop = () => {
    if (stopped) return stopped;
    provider.destroy();
    stopped = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        live.delete(child);
        resolve();
        return;
      }
      const hard = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(hard);
        live.delete(child);
        resolve();
      });
      killGroup(child, 'SIGTERM');
    });
    return stopped;
  };

  return {
    url, port, chainId, provider, wallets, accounts: keys, rpc, stop,
    log: () => out,
    /** mines n empty blocks at once */
    mine: (n = 1) => rpc('anvil_mine', [ethers.toQuantity(n)]),
    /** moves the next block's timestamp seconds later */
    increaseTime: (seconds) => rpc('evm_increaseTime', [seconds]),
  };
}

/** Runs fn(node) on a fresh node and stops the node however fn ends. */
export async function withNode(fn, options) {
  const node = await startNode(options);
  try {
    return await fn(node);
  } finally {
    await node.stop();
  }
}

// ---- compiling -----------------------------------------------------------

function solcModule() {
  try {
    return require('solc');
  } catch {
    throw new Error(`solc not installed: run \`npm ci\` in ${HARNESS_DIR}`);
  }
}

/** The text of an import: from the search folders, then node_modules. */
function readSource(name, searchDirs) {
  if (path.isAbsolute(name) || name.split('/').includes('..'))
    return null;
  for (const dir of [...searchDirs, NODE_MODULES]) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return fs.readFileSync(p, 'utf8');
  }
  return null;
}

function cacheDir() {
  return process.env.GVT_SOLC_CACHE || path.join(REPO_DIR, 'build', 'solc-cache');
}

/**
 * Compiles Solidity sources with solc-js (the version pinned in the
 * lockfile). files: source names, looked up in options.dirs (default
 * tests/node/contracts) then node_modules, e.g. 'GvtToken.sol' or
 * '@ethereum-attestation-service/eas-contracts/contracts/EAS.sol'.
 * Imports resolve the same way, so '@openzeppelin/contracts/...' and the
 * EAS sources come from node_modules.
 * options: dirs, runs (0: optimizer off, the default: solc-js compiles the
 *   Governors about five times faster, and startNode lifts the contract
 *   size limit that unoptimised Governor and EAS code exceeds; 200 for
 *   code as deployed on a real chain), evmVersion (solc's default), viaIR
 *   (false), cache (true).
 * Returns { NAME: { abi, bytecode, source } } for every contract of every
 * compiled file, imports included (a name found in two files is kept under
 * 'FILE:NAME' only). Throws with solc's messages on an error.
 * Results are cached by the hash of the compiler version, the settings and
 * every source text read, under build/solc-cache (or $GVT_SOLC_CACHE).
 */
export function compile(files, options = {}) {
  const { dirs = [CONTRACTS_DIR], runs = 0, evmVersion, viaIR = false, cache = true } = options;
  const settings = {
    optimizer: { enabled: runs > 0, runs: runs > 0 ? runs : 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  };
  if (evmVersion) settings.evmVersion = evmVersion;
  if (viaIR) settings.viaIR = true;

  const sources = {};
  for (const f of files) {
    const text = readSource(f, dirs);
    if (text === null) throw new Error(`compile: source not found: ${f}`);
    sources[f] = { content: text };
  }
  const input = { language: 'Solidity', sources, settings };
  const read = {};
  const findImports = (name) => {
    const text = readSource(name, dirs);
    if (text === null) return { error: `not found in ${dirs.join(', ')} or node_modules` };
    read[name] = text;
    return { contents: text };
  };

  // The cache key needs every source, imports included: a first pass finds
  // them from the previous manifest of these files, if any, and checks that
  // each is unchanged.
  const hash = (obj) => crypto.createHash('sha256').update(JSON.stringify(obj)).digest('hex');
  // The pinned package's version names the compiler without loading it
  // (loading takes most of a second).
  const version = require('solc/package.json').version;
  const head = hash({ v: version, settings, files, dirs });
  const dir = cacheDir();
  const manifest = path.join(dir, `${head}.json`);
  if (cache && fs.existsSync(manifest)) {
    try {
      const saved = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      const same = Object.entries(saved.sources).every(([name, h]) => {
        const text = sources[name] ? sources[name].content : readSource(name, dirs);
        return text !== null && hash(text) === h;
      });
      if (same) return saved.contracts;
    } catch {
      // a damaged cache entry is compiled again and replaced
    }
  }

  const solc = solcModule();
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  if (errors.length)
    throw new Error(`solc ${solc.version()}:\n${errors.map((e) => e.formattedMessage).join('\n')}`);

  const contracts = {};
  const seen = {};
  for (const [file, byName] of Object.entries(output.contracts || {})) {
    for (const [name, c] of Object.entries(byName)) {
      const art = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, source: file };
      contracts[`${file}:${name}`] = art;
      seen[name] = (seen[name] || 0) + 1;
    }
  }
  for (const [key, art] of Object.entries(contracts)) {
    const name = key.slice(key.lastIndexOf(':') + 1);
    if (seen[name] === 1) contracts[name] = art;
  }

  if (cache) {
    const all = {};
    for (const [name, s] of Object.entries(sources)) all[name] = hash(s.content);
    for (const [name, text] of Object.entries(read)) all[name] = hash(text);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${manifest}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ compiler: solc.version(), sources: all, contracts }));
    fs.renameSync(tmp, manifest);
  }
  return contracts;
}

// ---- deploying -----------------------------------------------------------

/**
 * Deploys a compiled contract (an entry of compile()'s result) from signer
 * with constructor arguments args; resolves to the ethers Contract once
 * mined.
 */
export async function deploy(signer, artifact, ...args) {
  if (!artifact || !artifact.abi || !artifact.bytecode)
    throw new Error('deploy: not a compiled contract (an entry of compile())');
  const factory = new ethers.ContractFactory(artifact.abi, artifact.bytecode, signer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract;
}

/** The EAS contracts' source names in node_modules, for compile(). */
export const EAS_SOURCES = [
  '@ethereum-attestation-service/eas-contracts/contracts/SchemaRegistry.sol',
  '@ethereum-attestation-service/eas-contracts/contracts/EAS.sol',
];

/**
 * Deploys EAS's SchemaRegistry and EAS (compiled here from the package's
 * sources) from signer: resolves to { registry, eas } (ethers Contracts).
 */
export async function deployEas(signer) {
  const out = compile(EAS_SOURCES);
  const registry = await deploy(signer, out.SchemaRegistry);
  const eas = await deploy(signer, out.EAS, await registry.getAddress());
  return { registry, eas };
}

/**
 * The EAS SDK (@ethereum-attestation-service/eas-sdk): its CommonJS build,
 * because its ES module build imports lodash by named exports, which Node's
 * ES module loader refuses. Its classes take the ethers 6 signers above.
 */
export function easSdk() {
  return require('@ethereum-attestation-service/eas-sdk');
}

/**
 * Bounds a whole test script: after ms milliseconds it prints what it was
 * doing and exits 1 (the exit handler above kills any node still running).
 * Returns a function that sets the current step's name.
 */
export function deadline(ms, name = 'test') {
  let step = 'starting';
  setTimeout(() => {
    process.stderr.write(`${name}: timed out after ${ms} ms during: ${step}\n`);
    process.exit(1);
  }, ms).unref();
  return (s) => { step = s; };
}
