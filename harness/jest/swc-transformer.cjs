// @ts-check
/**
 * @swc/jest with a cache key that leaves the Jest project's config out.
 *
 * Jest caches every transformed file under a key the transformer computes.
 * @swc/jest's key hashes the whole serialized project config, so two projects
 * that differ only in `rootDir` or `displayName` never share a cached file.
 * The wrong-solution runs and the testing katas' grader start one project per
 * patch or mutant, and each of them compiled the kata's whole module graph
 * again (faker's locale data alone is seconds of SWC): a patch cost about 8 s
 * instead of the 2 s its specs take.
 *
 * SWC's output depends on the source, its path and the SWC options (fixed
 * here), never on the project, so the key is those and nothing else, and the
 * result is kept where every project finds it.
 *
 * Plain CommonJS because Jest loads transformers without a transform.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const swcJest = require('@swc/jest');
const swcCore = require('@swc/core');
const swcJestVersion = require('@swc/jest/package.json').version;

/** Transformed files by cache key, shared by every project this worker process runs. */
const memory = new Map();

/** @type {import('@jest/transform').TransformerFactory<import('@jest/transform').SyncTransformer<Record<string, unknown>>>} */
module.exports = {
  createTransformer(swcOptions) {
    const transformer = swcJest.createTransformer(/** @type {never} */ (swcOptions));
    const fixed = [swcCore.version, swcJestVersion, JSON.stringify(swcOptions ?? {}), process.env.NODE_ENV ?? ''].join('\0');
    /** @param {string} sourceText @param {string} sourcePath @param {{ supportsStaticESM?: boolean, instrument?: boolean }} options */
    const keyOf = (sourceText, sourcePath, options) =>
      crypto
        .createHash('sha1')
        .update(fixed)
        .update('\0')
        .update(sourcePath)
        .update('\0')
        .update(sourceText)
        .update('\0')
        .update(JSON.stringify({ esm: options.supportsStaticESM, instrument: options.instrument }))
        .digest('hex');
    return {
      ...transformer,
      getCacheKey: keyOf,
      // Jest keeps its transform cache in one directory per project (named by the project's
      // id), so a run of many projects compiles each file once per project even with the key
      // above. This cache is shared: in memory within a worker, on disk across workers and runs.
      process(sourceText, sourcePath, options) {
        const key = keyOf(sourceText, sourcePath, options);
        const remembered = memory.get(key);
        if (remembered) return remembered;
        const file = path.join(options.config.cacheDirectory, 'kata-swc', key.slice(0, 2), `${key}.json`);
        let result;
        try {
          result = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch {
          result = transformer.process(sourceText, sourcePath, /** @type {never} */ (options));
          writeAtomically(file, JSON.stringify(result));
        }
        memory.set(key, result);
        return result;
      },
    };
  },
};

/** Another worker may write the same entry at the same moment: each writes its own file, then renames. */
function writeAtomically(file, text) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch {
    // A cache that cannot be written only costs speed.
  }
}
