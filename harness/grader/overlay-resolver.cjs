// @ts-check
/**
 * The grader's Jest resolver. Two things make a learner's test file run against
 * something other than what sits next to it, without changing one character of it:
 *
 * - stand-ins: a file that lives in `actual` resolves its imports as if it lived
 *   in `virtual`. The reference tests in solutions/testing/<kata>/tests/ import
 *   `../src/…` exactly as the learner's do, and reach katas/testing/<kata>/src/;
 *   a mutant's patched file in a temporary folder imports its neighbours as if it
 *   sat in the kata's src/.
 * - an overlay: a result that lands in the kata's src/ is swapped for the
 *   mutant's patched copy when the mutant has one.
 *
 * The grader writes one small resolver file per suite that calls
 * createOverlayResolver() with that suite's folders (Jest takes a resolver as a
 * module path, not as options). Plain CommonJS: Jest loads resolvers untransformed.
 */
const fs = require('node:fs');
const path = require('node:path');

/**
 * @typedef {{ actual: string, virtual: string }} StandIn  absolute folders
 * @typedef {{ standIns: StandIn[], overlay?: { actual: string, virtual: string } }} OverlayOptions
 * @typedef {(request: string, options: { basedir: string, defaultResolver: (r: string, o: any) => string }) => string} Resolver
 */

/** @param {string} file @param {string} dir */
function isInside(file, dir) {
  return file === dir || file.startsWith(dir + path.sep);
}

/** @param {OverlayOptions} options @returns {Resolver} */
function createOverlayResolver({ standIns, overlay }) {
  return function resolveThroughOverlay(request, options) {
    const standIn = standIns.find(({ actual }) => isInside(options.basedir, actual));
    const basedir = standIn ? standIn.virtual + options.basedir.slice(standIn.actual.length) : options.basedir;
    const resolved = options.defaultResolver(request, { ...options, basedir });
    if (overlay && isInside(resolved, overlay.virtual)) {
      const patched = overlay.actual + resolved.slice(overlay.virtual.length);
      if (fs.existsSync(patched)) return patched;
    }
    return resolved;
  };
}

module.exports = { createOverlayResolver };
