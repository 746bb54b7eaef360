// cli.mjs: running the govtally under test from the Node tests, each in
// its own scratch folder.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Empties (or makes) the folder work and returns name => its path there.
export function scratch(work) {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  return (name) => path.join(work, name);
}

// Returns run(args, ok = [0]): govtally's standard output when it exits 0;
// when it exits with another status listed in ok, what expected(error)
// makes of the child's error (its stdout by default); any other status
// throws with govtally's standard error. Each run is bounded to a minute.
export function govtally(bin, expected = (e) => e.stdout) {
  return (args, ok = [0]) => {
    try {
      return execFileSync(bin, args, { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      if (ok.includes(e.status)) return expected(e);
      throw new Error(`govtally ${args.join(' ')}: ${e.status} ${e.stderr}`);
    }
  };
}
