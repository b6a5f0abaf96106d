// @ts-check
/**
 * Child process of the grader: one Jest run (runCLI) with one project per
 * suite (the real app, then one per mutant), so Jest starts once for a whole
 * kata. Reads a request file, writes the outcomes as JSON, prints nothing.
 *
 *   node harness/grader/runner.cjs <request.json> <outcome.json>
 *
 * Plain CommonJS so that it starts without a TypeScript loader.
 */
const fs = require('node:fs');
const { runCLI } = require('jest');

/** @param {string} text */
function firstLines(text) {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
  return plain.split('\n').filter((line) => line.trim().length > 0 && !/^\s+at /.test(line)).slice(0, 6).join('\n');
}

async function main() {
  const [requestFile, outcomeFile] = process.argv.slice(2);
  if (!requestFile || !outcomeFile) throw new Error('usage: runner.cjs <request.json> <outcome.json>');
  /** @type {{ rootDir: string, globalConfig: Record<string, unknown>, projects: Array<Record<string, unknown>> }} */
  const request = JSON.parse(fs.readFileSync(requestFile, 'utf8'));
  const config = { ...request.globalConfig, rootDir: request.rootDir, projects: request.projects };
  const { results } = await runCLI(
    /** @type {any} */ ({ config: JSON.stringify(config), reporters: [], silent: true, watchman: false, ci: true, _: [], $0: 'grader' }),
    [request.rootDir],
  );
  const suites = results.testResults.map((suite) => ({
    suite: typeof suite.displayName === 'object' ? suite.displayName?.name : suite.displayName,
    file: suite.testFilePath,
    loadError: suite.testExecError ? firstLines(suite.testExecError.message ?? String(suite.testExecError)) : null,
    tests: suite.testResults.map((test) => ({
      ancestors: test.ancestorTitles,
      title: test.title,
      status: test.status,
      failure: test.failureMessages.length > 0 ? firstLines(test.failureMessages.join('\n')) : null,
    })),
  }));
  fs.writeFileSync(outcomeFile, JSON.stringify({ suites }));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
