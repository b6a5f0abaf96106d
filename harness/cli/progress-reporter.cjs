// @ts-check
/**
 * Jest reporter that records each kata's spec results in `.kata/progress.json`
 * (git-ignored), so `npm run kata -- list` shows progress without re-running
 * every spec. Not recorded: runs against the solutions (KATA_TARGET=solutions)
 * and runs that opt out with KATA_PROGRESS=off (verify does): neither is the
 * learner's progress.
 *
 * Plain CommonJS because Jest loads reporters without a transform.
 * Results are merged per spec file: running one file of a kata updates that
 * file and keeps the others' latest results. A run filtered by name (watch runs
 * one step with --testNamePattern) updates only the tests it selected.
 * Each file's entry carries `contentHash`, the hash of the kata's code and
 * specs when the run started, so `list` can tell a result that still describes
 * the code from one the code has moved away from.
 */
const crypto = require('node:crypto');
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
 * Hash of every file of a kata folder that decides its results (its code and
 * specs; not its Markdown), by relative name and content.
 * @param {string} kataDir
 */
function kataContentHash(kataDir) {
  const hash = crypto.createHash('sha256');
  /** @type {string[]} */
  let names;
  try {
    names = /** @type {import('node:fs').Dirent[]} */ (fs.readdirSync(kataDir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.md') && !entry.parentPath.includes(`${path.sep}node_modules`))
      .map((entry) => path.relative(kataDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .sort();
  } catch {
    return null;
  }
  for (const name of names) {
    hash.update(`${name}\0`);
    hash.update(fs.readFileSync(path.join(kataDir, name)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** @param {string} rootDir @param {string} testFilePath */
function kataOf(rootDir, testFilePath) {
  const relative = path.relative(rootDir, testFilePath).split(path.sep).join('/');
  const match = specPath.exec(relative);
  return match ? { relative, kata: `${match[1]}/${match[2]}` } : undefined;
}

/**
 * Merges one Jest run into the progress file under `rootDir`.
 * @param {string} rootDir
 * @param {Array<{ testFilePath: string, testExecError?: { message?: string } | null, failureMessage?: string | null, testResults: Array<{ fullName: string, title?: string, status: string }> }>} testResults
 * @param {{ now?: Date, testNamePattern?: string, hashes?: Record<string, string | null> }} [options]
 */
function recordRun(rootDir, testResults, options = {}) {
  const now = options.now ?? new Date();
  // Jest matches the pattern case-insensitively against each test's full name.
  const selected = options.testNamePattern ? new RegExp(options.testNamePattern, 'i') : undefined;
  const file = path.join(rootDir, '.kata', 'progress.json');
  const progress = readProgress(file);
  let changed = false;
  for (const suite of testResults) {
    const located = kataOf(rootDir, suite.testFilePath);
    if (!located) continue;
    const { relative, kata } = located;
    const entry = (progress.katas[kata] ??= { files: {} });
    const previous = entry.files[relative];
    /** @type {Map<string, string>} */
    const before = new Map((previous?.tests ?? []).map((/** @type {{ name: string, status: string }} */ t) => [t.name, t.status]));
    const tests = suite.testResults.map((t) => {
      const status = t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped';
      // A test the name filter left out did not run: it keeps what it had.
      const kept = selected && !selected.test(t.fullName) ? before.get(t.fullName) : undefined;
      return {
        name: t.fullName,
        status: kept ?? status,
        // A testing kata's grade spec has one test per mutant: they make its mutation score.
        ...(t.title && isMutantTitle(t.title) ? { mutant: true } : {}),
      };
    });
    const crashed = tests.length === 0 && Boolean(suite.testExecError || suite.failureMessage);
    entry.files[relative] = {
      updatedAt: now.toISOString(),
      contentHash: options.hashes?.[kata] ?? kataContentHash(path.join(rootDir, 'katas', ...kata.split('/'))),
      // A file that failed to load ran no test; keep its known tests, all red, so the total stays honest.
      tests: crashed && previous ? previous.tests.map((/** @type {object} */ t) => ({ ...t, status: 'failed' })) : tests,
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

function recording() {
  return process.env.KATA_TARGET !== 'solutions' && process.env.KATA_PROGRESS !== 'off';
}

class KataProgressReporter {
  /** @param {{ rootDir: string, testNamePattern?: string }} globalConfig */
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.testNamePattern = globalConfig.testNamePattern || undefined;
    /** @type {Record<string, string | null>} the code each kata had when its first file started */
    this.hashes = {};
  }

  /** @param {{ path: string }} test */
  onTestFileStart(test) {
    if (!recording()) return;
    const located = kataOf(this.rootDir, test.path);
    if (located && !(located.kata in this.hashes)) {
      this.hashes[located.kata] = kataContentHash(path.join(this.rootDir, 'katas', ...located.kata.split('/')));
    }
  }

  /** @param {unknown} _contexts @param {{ testResults: any[] }} results */
  onRunComplete(_contexts, results) {
    if (!recording()) return;
    try {
      recordRun(this.rootDir, results.testResults, { testNamePattern: this.testNamePattern, hashes: this.hashes });
    } catch (error) {
      // Progress is a convenience: never fail a test run because of it.
      process.stderr.write(`kata progress not recorded: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

module.exports = KataProgressReporter;
module.exports.recordRun = recordRun;
module.exports.readProgress = readProgress;
module.exports.kataContentHash = kataContentHash;
