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
 * Wrong solutions (harness/verify/wrong-solutions.ts) add a third tree: a Jest
 * project whose rootDir is an overlay under `.kata/wrong/` holds a patched copy
 * of one kata's solution at its repository-relative path,
 *
 *   .kata/wrong/<phase>/<kata>/<patch>/solutions/<phase>/<kata>/src/**
 *
 * and every import that lands in that kata's solution is served from the copy.
 * A patched file's own imports resolve as if it sat in its original place, so
 * `../../../../lib/errors` and `express` reach the real ones.
 *
 * Plain CommonJS because Jest loads resolvers without a transform.
 */
const fs = require('node:fs');
const path = require('node:path');

const rootDir = path.resolve(__dirname, '..', '..');
const katasDir = path.join(rootDir, 'katas') + path.sep;
const solutionsDir = path.join(rootDir, 'solutions') + path.sep;
const overlaysDir = path.join(rootDir, '.kata', 'wrong') + path.sep;
const starterSource = /^([^/\\]+[/\\][^/\\]+[/\\]src[/\\].+)$/;
const sharedSystemUnderTest = /^testing[/\\]/;

/**
 * @typedef {{ basedir: string; rootDir?: string; defaultResolver: (r: string, o: unknown) => string }} ResolverOptions
 * @type {(request: string, options: ResolverOptions) => string}
 */
module.exports = function resolveKataTarget(request, options) {
  const overlay = groupOverlay === undefined ? overlayOf(options.rootDir) : overlayOf(groupOverlay ?? undefined);
  if (!overlay) return toSolution(options.defaultResolver(request, options), process.env.KATA_TARGET === 'solutions');
  return resolveInOverlay(request, options, overlay);
};

/**
 * A grouped wrong-solution run (harness/jest/wrong-group-runtime.cjs) runs several
 * patches in one spec file, one after the other: the overlay is the current patch's,
 * set here as each patch's turn comes, not the project's rootDir. `null`: the
 * unpatched solution (the group's control); `undefined`: no group, the rootDir decides.
 * @type {string | null | undefined}
 */
let groupOverlay;

/** @param {string | null | undefined} overlay */
module.exports.setGroupOverlay = function setGroupOverlay(overlay) {
  groupOverlay = overlay;
};

/** @param {string} resolved @param {boolean} enabled */
function toSolution(resolved, enabled) {
  if (!enabled || !resolved.startsWith(katasDir)) return resolved;
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
}

/**
 * The overlay a Jest project's rootDir names, with the kata's solution folder
 * it replaces; undefined for ordinary projects.
 * @param {string | undefined} projectRootDir
 */
function overlayOf(projectRootDir) {
  if (!projectRootDir || !(projectRootDir + path.sep).startsWith(overlaysDir)) return undefined;
  const parts = path.relative(overlaysDir, projectRootDir).split(path.sep);
  if (parts.length !== 3) return undefined;
  const kata = path.join(parts[0] ?? '', parts[1] ?? '');
  return { root: projectRootDir, kataSolution: path.join(solutionsDir, kata) + path.sep };
}

/**
 * @param {string} request
 * @param {ResolverOptions} options
 * @param {{ root: string; kataSolution: string }} overlay
 */
function resolveInOverlay(request, options, overlay) {
  const inOverlay = (options.basedir + path.sep).startsWith(overlay.root + path.sep);
  let resolved;
  if (inOverlay) {
    // A patched file: resolve from where its original sits...
    const original = path.join(rootDir, path.relative(overlay.root, options.basedir));
    try {
      resolved = options.defaultResolver(request, { ...options, basedir: original });
    } catch (error) {
      // ...unless it imports a file the patch added, which exists only in the overlay.
      if (!request.startsWith('.')) throw error;
      return options.defaultResolver(request, options);
    }
  } else {
    resolved = options.defaultResolver(request, options);
  }
  // Wrong solutions are always measured against the solution tree.
  resolved = toSolution(resolved, true);
  if (!resolved.startsWith(overlay.kataSolution)) return resolved;
  const patched = path.join(overlay.root, path.relative(rootDir, resolved));
  if (fs.existsSync(patched)) return patched;
  throw new Error(`Cannot find module '${request}': the wrong solution deleted "${path.relative(rootDir, resolved)}".`);
}
