// @ts-check
/**
 * Points a spec's imports of its kata's starter code at the reference solution
 * when KATA_TARGET=solutions. A spec imports `./src/app` exactly as a learner reads
 * it; only this resolver knows that two trees exist.
 *
 *   katas/<phase>/<kata>/src/**  ->  solutions/<phase>/<kata>/src/**
 *
 * Except in the testing phase, where `src/` is the system under test, the same
 * in both runs (what differs there is the test files, which the grader picks;
 * see harness/grader/).
 *
 * Plain CommonJS because Jest loads resolvers without a transform.
 */
const fs = require('node:fs');
const path = require('node:path');

const rootDir = path.resolve(__dirname, '..', '..');
const katasDir = path.join(rootDir, 'katas') + path.sep;
const solutionsDir = path.join(rootDir, 'solutions') + path.sep;
const starterSource = /^([^/\\]+[/\\][^/\\]+[/\\]src[/\\].+)$/;
const sharedSystemUnderTest = /^testing[/\\]/;

/** @type {(request: string, options: { defaultResolver: (r: string, o: unknown) => string }) => string} */
module.exports = function resolveKataTarget(request, options) {
  const resolved = options.defaultResolver(request, options);
  if (process.env.KATA_TARGET !== 'solutions' || !resolved.startsWith(katasDir)) {
    return resolved;
  }
  const match = starterSource.exec(resolved.slice(katasDir.length));
  if (!match || sharedSystemUnderTest.test(match[1])) return resolved;
  const solutionFile = solutionsDir + match[1];
  if (!fs.existsSync(solutionFile)) {
    throw new Error(
      `KATA_TARGET=solutions: "${resolved}" has no counterpart "${solutionFile}". ` +
        'Every starter file needs a solution file of the same name.',
    );
  }
  return solutionFile;
};
