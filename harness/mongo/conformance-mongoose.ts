/**
 * Runs mongoose's own mocha suite against the embedded engine and prints, per test
 * file, how many tests passed, failed and were skipped: an independent measure of
 * "the learner's code cannot tell the difference".
 *
 *   npm run conformance:mongoose -- <mongoose checkout> [test files...] [--failures] [--timeout-min N]
 *
 * The checkout is mongoose's public repository with its dependencies installed
 * (`git clone https://github.com/Automattic/mongoose && cd mongoose && npm install`).
 * Each file runs in a process of its own with a time limit, so one hang costs one
 * file. Not part of `npm run verify`: the whole suite takes tens of minutes.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedMongo } from './index';

interface FileResult {
  file: string;
  passes: number;
  failures: number;
  pending: number;
  /** Set when the file produced no report (time limit, crash). */
  broken?: string;
  failed: Array<{ title: string; message: string }>;
}

const USAGE = `usage: npm run conformance:mongoose -- <path to a mongoose checkout> [test files...] [--failures] [--timeout-min N]

The path must be a clone of https://github.com/Automattic/mongoose with its
dependencies installed (cd <path> && npm install), so that <path>/test/*.test.js
and <path>/node_modules/mocha exist. Test files default to every test/*.test.js
(test/encryption needs a key service and is left out).`;

function parseArgs(argv: string[]): { checkout: string; files: string[]; showFailures: boolean; timeoutMs: number } {
  const positional: string[] = [];
  let showFailures = false;
  let timeoutMin = 10;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--failures') showFailures = true;
    else if (arg === '--timeout-min') timeoutMin = Number(argv[(i += 1)]);
    else positional.push(arg);
  }
  const [checkout, ...files] = positional;
  if (!checkout || !Number.isFinite(timeoutMin) || timeoutMin <= 0) {
    console.error(USAGE);
    process.exit(2);
  }
  return { checkout: resolve(checkout), files, showFailures, timeoutMs: timeoutMin * 60_000 };
}

function runFile(checkout: string, file: string, uri: string, reportPath: string, timeoutMs: number): Promise<string | undefined> {
  const mocha = join(checkout, 'node_modules', 'mocha', 'bin', 'mocha.js');
  // mongoose's `npm test` loads every file into one process, so mongoose itself (index.js) is always loaded
  // before a test runs; a file run alone needs it required first (helpers/setDefaultsOnInsert reads `schema.base`).
  const args = [mocha, '--exit', '--timeout', '20000', '--require', join(checkout, 'index.js'), '--reporter', 'json', '--reporter-option', `output=${reportPath}`, join('test', file)];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: checkout, env: { ...process.env, MONGOOSE_TEST_URI: uri }, stdio: 'ignore' });
    const limit = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      done(signal ? `killed (${signal}) after the ${timeoutMs / 60_000} min limit` : code === null ? 'no exit code' : undefined);
    });
  });
}

async function readReport(file: string, reportPath: string, problem: string | undefined): Promise<FileResult> {
  try {
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as {
      stats: { passes: number; failures: number; pending: number };
      failures: Array<{ fullTitle: string; err: { message?: string } }>;
    };
    const failed = report.failures.map((f) => ({ title: f.fullTitle, message: (f.err.message ?? '').split('\n')[0] ?? '' }));
    return { file, ...report.stats, failed };
  } catch {
    return { file, passes: 0, failures: 0, pending: 0, broken: problem ?? 'no report written', failed: [] };
  }
}

function printTable(results: FileResult[], showFailures: boolean): void {
  const width = Math.max(...results.map((r) => r.file.length), 5);
  const row = (name: string, pass: string, fail: string, pending: string) => console.log(`${name.padEnd(width)}  ${pass.padStart(6)}  ${fail.padStart(6)}  ${pending.padStart(7)}`);
  row('file', 'pass', 'fail', 'pending');
  for (const r of results) {
    row(r.file, String(r.passes), String(r.failures), String(r.pending));
    if (r.broken) console.log(`  ! ${r.broken}`);
    if (showFailures) for (const f of r.failed) console.log(`  - ${f.title}: ${f.message.slice(0, 200)}`);
  }
  const sum = (key: 'passes' | 'failures' | 'pending') => results.reduce((total, r) => total + r[key], 0);
  const [pass, fail] = [sum('passes'), sum('failures')];
  row('total', String(pass), String(fail), String(sum('pending')));
  const broken = results.filter((r) => r.broken).length;
  console.log(`\n${pass + fail === 0 ? 0 : ((100 * pass) / (pass + fail)).toFixed(1)}% of the tests that ran passed; ${broken} file(s) without a report`);
}

async function main(): Promise<void> {
  const { checkout, files, showFailures, timeoutMs } = parseArgs(process.argv.slice(2));
  if (!existsSync(join(checkout, 'test')) || !existsSync(join(checkout, 'node_modules', 'mocha'))) {
    console.error(`${checkout} is not a mongoose checkout with its dependencies installed.\n\n${USAGE}`);
    process.exit(2);
  }
  // test/** minus test/encryption (it needs a mongocryptd and a key vault).
  const all = (await readdir(join(checkout, 'test'), { recursive: true }))
    .filter((name) => name.endsWith('.test.js') && !name.startsWith('encryption/'))
    .sort();
  const chosen = files.length > 0 ? files.map((name) => name.replace(/^test\//, '')) : all;
  const unknown = chosen.filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    console.error(`not in ${join(checkout, 'test')}: ${unknown.join(', ')}`);
    process.exit(2);
  }
  const reports = await mkdtemp(join(tmpdir(), 'mongoose-conformance-'));
  const mongo = await startEmbeddedMongo();
  const results: FileResult[] = [];
  try {
    for (const file of chosen) {
      const reportPath = join(reports, `${file}.json`);
      const problem = await runFile(checkout, file, mongo.uri, reportPath, timeoutMs);
      results.push(await readReport(file, reportPath, problem));
      console.error(`ran ${file}`);
    }
  } finally {
    await mongo.stop();
    await rm(reports, { recursive: true, force: true });
  }
  printTable(results, showFailures);
}

void main();
