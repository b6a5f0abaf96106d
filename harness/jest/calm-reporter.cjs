// @ts-check
/**
 * Jest's default reporter, calmer for runs with many failures:
 *
 * - a failure caused by the machine (a missing redis-server, an unreachable
 *   MONGO_URL: see environment-signatures.cjs) is not printed per test; the
 *   run ends with one notice per problem, its fix, and how many tests it failed;
 * - the first FULL_FAILURES failures of a run print in full; later ones print
 *   their title and first lines, with the command that shows the whole message.
 *   Every failure is still named, and the summary counts are Jest's own.
 *
 * Registered in jest.config.ts instead of 'default' (plus Jest's 'summary').
 */
const path = require('node:path');
const { DefaultReporter } = require('@jest/reporters');
const { formatResultsErrors } = require('jest-message-util');
const { environmentSignatureIn } = require('./environment-signatures.cjs');

const FULL_FAILURES = 10;
const SHORT_LINES = 6;

class CalmReporter extends DefaultReporter {
  /** @param {any} globalConfig */
  constructor(globalConfig) {
    super(globalConfig);
    this.calmConfig = globalConfig;
    this.failuresShown = 0;
    /** @type {Map<string, { summary: string, fix: string, tests: number, files: Set<string> }>} */
    this.environment = new Map();
  }

  /** @param {string} text @param {string} file */
  environmentFailure(text, file) {
    const signature = environmentSignatureIn(text);
    if (!signature) return false;
    const entry = this.environment.get(signature.code) ?? { summary: signature.summary, fix: signature.fix, tests: 0, files: new Set() };
    entry.tests += 1;
    entry.files.add(file);
    this.environment.set(signature.code, entry);
    return true;
  }

  /** @param {any} test @param {any} result @param {any} aggregated */
  onTestResult(test, result, aggregated) {
    const file = path.relative(this.calmConfig.rootDir, result.testFilePath);
    if (result.testExecError && this.environmentFailure(String(result.testExecError.message ?? ''), file)) {
      return super.onTestResult(test, { ...result, failureMessage: null }, aggregated);
    }
    if (!result.failureMessage || result.testResults.length === 0) return super.onTestResult(test, result, aggregated);
    const pieces = [];
    for (const assertion of result.testResults) {
      if (assertion.status !== 'failed') continue;
      if (this.environmentFailure(assertion.failureMessages.join('\n'), file)) continue;
      const formatted = formatResultsErrors([assertion], test.context.config, this.calmConfig, test.path) ?? '';
      this.failuresShown += 1;
      if (this.failuresShown <= FULL_FAILURES) pieces.push(formatted);
      else pieces.push(shorten(formatted, file, assertion.fullName));
    }
    return super.onTestResult(test, { ...result, failureMessage: pieces.length > 0 ? pieces.join('\n') : null }, aggregated);
  }

  /** @param {any} contexts @param {any} aggregated */
  onRunComplete(contexts, aggregated) {
    super.onRunComplete?.(contexts, aggregated);
    if (this.failuresShown > FULL_FAILURES) {
      this.log(`\n(${this.failuresShown - FULL_FAILURES} failures after the first ${FULL_FAILURES} were shortened; each shows how to see it whole.)`);
    }
    for (const problem of this.environment.values()) {
      this.log(
        `\n⚠ Environment problem, not your code: ${problem.summary}\n  Fix: ${problem.fix}\n` +
          `  It failed ${problem.tests === 0 ? 'the whole file' : `${problem.tests} test${problem.tests === 1 ? '' : 's'}`} in ${problem.files.size} file${problem.files.size === 1 ? '' : 's'}: ${[...problem.files].join(', ')}`,
      );
    }
  }
}

/** The title and first lines of a formatted failure, and how to see all of it. @param {string} text @param {string} file @param {string} name */
function shorten(text, file, name) {
  const lines = text.split('\n').filter((line, i, all) => line.trim() !== '' || (i > 0 && all[i - 1]?.trim() !== ''));
  if (lines.length <= SHORT_LINES + 1) return text;
  const pattern = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "'\\''");
  return [...lines.slice(0, SHORT_LINES), `      … (whole message: npx jest ${file} -t '${pattern}')`, ''].join('\n');
}

module.exports = CalmReporter;
