// @ts-check
/**
 * Jest reporter that records each kata's spec results in `.kata/progress.json`
 * (git-ignored), so `npm run kata -- list` shows progress without re-running
 * every spec. Runs against the solutions (KATA_TARGET=solutions) are not the
 * learner's progress and are not recorded.
 *
 * Plain CommonJS because Jest loads reporters without a transform.
 * Results are merged per spec file: running one file of a kata updates that
 * file and keeps the others' latest results.
 */
const fs = require('node:fs');
const path = require('node:path');
const { isMutantTitle } = require('../grader/mutant-title.cjs');

const specPath = /^katas\/([^/]+)\/([^/]+)\/(?:.+\/)?[^/]+\.spec\.[cm]?[jt]s$/;

/** @param {string} file */
function readProgress(file) {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (parsed && parsed.version === 1 && parsed.katas) return parsed;
  } catch {
    // missing or torn file: start afresh, the next run refills it
  }
  return { version: 1, katas: {} };
}

/**
 * Merges one Jest run into the progress file under `rootDir`.
 * @param {string} rootDir
 * @param {Array<{ testFilePath: string, testExecError?: { message?: string } | null, failureMessage?: string | null, testResults: Array<{ fullName: string, title?: string, status: string }> }>} testResults
 * @param {Date} [now]
 */
function recordRun(rootDir, testResults, now = new Date()) {
  const file = path.join(rootDir, '.kata', 'progress.json');
  const progress = readProgress(file);
  let changed = false;
  for (const suite of testResults) {
    const relative = path.relative(rootDir, suite.testFilePath).split(path.sep).join('/');
    const match = specPath.exec(relative);
    if (!match) continue;
    const kata = `${match[1]}/${match[2]}`;
    const entry = (progress.katas[kata] ??= { files: {} });
    const previous = entry.files[relative];
    const tests = suite.testResults.map((t) => ({
      name: t.fullName,
      status: t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped',
      // A testing kata's grade spec has one test per mutant: they make its mutation score.
      ...(t.title && isMutantTitle(t.title) ? { mutant: true } : {}),
    }));
    const crashed = tests.length === 0 && Boolean(suite.testExecError || suite.failureMessage);
    entry.files[relative] = {
      updatedAt: now.toISOString(),
      // A file that failed to load ran no test; keep its known tests, all red, so the total stays honest.
      tests: crashed && previous ? previous.tests.map((t) => ({ ...t, status: 'failed' })) : tests,
      suiteError: crashed ? firstLine(suite.testExecError?.message ?? suite.failureMessage ?? '') : null,
    };
    changed = true;
  }
  if (!changed) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(progress, null, 2) + '\n');
  fs.renameSync(temporary, file);
}

/** @param {string} text */
function firstLine(text) {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
  return plain.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? 'the spec file failed to load';
}

class KataProgressReporter {
  /** @param {{ rootDir: string }} globalConfig */
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  /** @param {unknown} _contexts @param {{ testResults: any[] }} results */
  onRunComplete(_contexts, results) {
    if (process.env.KATA_TARGET === 'solutions') return;
    try {
      recordRun(this.rootDir, results.testResults);
    } catch (error) {
      // Progress is a convenience: never fail a test run because of it.
      process.stderr.write(`kata progress not recorded: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

module.exports = KataProgressReporter;
module.exports.recordRun = recordRun;
module.exports.readProgress = readProgress;
