// `zwgk plan --json` from a cold process against a bare `node -e ''`, measured side by side in the same
// run (alternating, so machine load hits both alike). Goal (issue 8): median ratio ≤ 3×.
import { spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/zwgk.js', import.meta.url));
const RUNS = Number(process.env.ZWGK_BENCH_RUNS ?? 15);
const GOAL = 3;

// No configuration file or variables: the bundled plan as a newcomer sees it.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZWGK_') && !k.startsWith('DINGTALK_') && !k.startsWith('SLACK_')));

function time(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: tmpdir(), stdio: ['ignore', 'ignore', 'pipe'], env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// What plan --json cannot do without: importing the SDK (the plan, its schemas, the calendar).
const SDK = ['--input-type=module', '-e', `await import(${JSON.stringify(import.meta.resolve('@zwgk/sdk'))})`];
const bare = [];
const plan = [];
const sdk = [];
time(['-e', '']);
time([BIN, 'plan', '--json']);
for (let i = 0; i < RUNS; i++) {
  bare.push(time(['-e', '']));
  plan.push(time([BIN, 'plan', '--json']));
  sdk.push(time(SDK));
}
const ratio = median(plan) / median(bare);
console.log(`cold start, median of ${RUNS}: node -e '' ${median(bare).toFixed(0)} ms, zwgk plan --json ${median(plan).toFixed(0)} ms, import('@zwgk/sdk') alone ${median(sdk).toFixed(0)} ms`);
console.log(`GOAL zwgk plan --json / node -e '': ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×): ${ratio <= GOAL ? 'met' : 'NOT MET'}; the SDK's import alone is ${(median(sdk) / median(bare)).toFixed(2)}×`);
console.log(`(load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
