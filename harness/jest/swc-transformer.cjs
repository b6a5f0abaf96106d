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
const { stripVTControlCharacters } = require('node:util');
const swcJestVersion = require('@swc/jest/package.json').version;
const swcCoreVersion = require('@swc/core/package.json').version;

/** Transformed files by cache key, shared by every project this worker process runs. */
const memory = new Map();

/** @type {import('@jest/transform').TransformerFactory<import('@jest/transform').SyncTransformer<Record<string, unknown>>>} */
module.exports = {
  createTransformer(swcOptions) {
    // SWC loads when a file must be compiled, not with the transformer: Jest creates this in
    // every process it starts (its workers, a grader's child and its workers), and loading
    // @swc/core's native binding cost each about 80 ms of CPU, for nothing once the cache is warm.
    /** @type {{ process: Function } | undefined} */
    let swc;
    const optionsJson = JSON.stringify(swcOptions ?? {});
    // A copy (the options are JSON): @swc/jest fills in its defaults in the options it is given, which would change the key below.
    const compiler = () => (swc ??= require('@swc/jest').createTransformer(/** @type {never} */ (JSON.parse(optionsJson))));
    const fixed = [swcCoreVersion, swcJestVersion, optionsJson, process.env.NODE_ENV ?? ''].join('\0');
    /** @param {{ keyPath: string, text: string }} compiled @param {{ supportsStaticESM?: boolean, instrument?: boolean }} options */
    const keyOfCompiled = ({ keyPath, text }, options) =>
      crypto
        .createHash('sha1')
        .update(fixed)
        .update('\0')
        .update(keyPath)
        .update('\0')
        .update(text)
        .update('\0')
        .update(JSON.stringify({ esm: options.supportsStaticESM, instrument: options.instrument }))
        .digest('hex');
    /** @param {string} sourceText @param {string} sourcePath @param {{ supportsStaticESM?: boolean, instrument?: boolean }} options */
    const keyOf = (sourceText, sourcePath, options) => keyOfCompiled(asCompiled(sourceText, sourcePath), options);
    const shared = {
      // As @swc/jest says without its coverage option: Jest instruments the output itself.
      canInstrument: false,
      getCacheKey: keyOf,
      // Jest keeps its transform cache in one directory per project (named by the project's
      // id), so a run of many projects compiles each file once per project even with the key
      // above. This cache is shared: in memory within a worker, on disk across workers and runs.
      process(sourceText, sourcePath, options) {
        const compiled = asCompiled(sourceText, sourcePath);
        const key = keyOfCompiled(compiled, options);
        const remembered = memory.get(key);
        if (remembered) return remembered;
        const file = path.join(options.config.cacheDirectory, 'kata-swc', key.slice(0, 2), `${key}.json`);
        let result;
        try {
          result = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch {
          result = compile(compiler(), compiled.text, sourcePath, options);
          writeAtomically(file, JSON.stringify(result));
        }
        memory.set(key, result);
        return result;
      },
      // Jest takes this path when it has one (@swc/jest's own would bypass the cache above).
      processAsync: async (sourceText, sourcePath, options) => shared.process(sourceText, sourcePath, options),
    };
    return shared;
  },
};

/**
 * A grader's salted copies of a testing kata's app and mutants (harness/grader/salt.ts)
 * sit in folders with random names in the grading's scratch folder
 * (`<tmp>/kata-grade-…/<16 hex digits>/src/…`), with a salt that changes at each grading.
 * Compiled as they are, every grading compiled them afresh and Jest's cache kept every
 * result (about 190 files, 3 MB, a cross-browser grading). So a copy is compiled with its
 * salt set to a placeholder of the same length, under a key made of its path inside the
 * copy and that text: the same app or mutant has the same key at every grading, and the
 * grader's runtime (harness/grader/grader-runtime.cjs) writes the grading's salt
 * into the compiled code as it loads it.
 *
 * @param {string} sourcePath
 * @returns {string | undefined} `grading-copy:src/…`, or undefined for any other file
 */
function gradingCopyOf(sourcePath) {
  const match = /[\\/]kata-grade-[^\\/]+[\\/][0-9a-f]{16}[\\/](.+)$/.exec(sourcePath);
  return match ? `grading-copy:${match[1]}` : undefined;
}

/**
 * What a file is compiled as, and the path its key names: itself, or for a grading's copy
 * its path inside the copy and its text with the salt's placeholder.
 *
 * @param {string} sourceText
 * @param {string} sourcePath
 */
function asCompiled(sourceText, sourcePath) {
  const copy = gradingCopyOf(sourcePath);
  return copy ? { keyPath: copy, text: unsalted(sourceText) } : { keyPath: sourcePath, text: sourceText };
}

/** The placeholder a salt is compiled as (salt.ts writes `salt:` and 12 hex digits). */
const saltPlaceholder = `salt:${'0'.repeat(12)}`;

/** @param {string} text */
function unsalted(text) {
  return text.replace(/salt:[0-9a-f]{12}/g, saltPlaceholder);
}

module.exports.saltPlaceholder = saltPlaceholder;
module.exports.gradingCopyOf = gradingCopyOf;

/**
 * SWC's syntax errors name the file in a code frame and end in a native stack
 * backtrace ("0: <unknown> …") that says nothing to a learner. This keeps the
 * frame, drops the backtrace, and puts `file:line:column` first, where editors
 * and terminals make it a link.
 *
 * @param {{ process: Function }} transformer
 * @param {string} sourceText
 * @param {string} sourcePath
 * @param {unknown} options
 */
function compile(transformer, sourceText, sourcePath, options) {
  try {
    return transformer.process(sourceText, sourcePath, options);
  } catch (error) {
    throw readableSyntaxError(error, sourcePath);
  }
}

/** @param {unknown} error @param {string} sourcePath */
function readableSyntaxError(error, sourcePath) {
  // Colours too: SWC paints the frame when Jest's workers ask for colour.
  const message = stripVTControlCharacters(error instanceof Error ? error.message : String(error));
  const frame = message.split(/\n\s*\n\s*Caused by:|\n\s*Stack backtrace:/)[0] ?? message;
  const at = /,-\[(.+):(\d+):(\d+)\]/.exec(frame);
  if (!at) return error;
  const [, file = sourcePath, line = '1'] = at;
  // The caret under the code marks the column; the gutter before it is as wide as the line numbers.
  const caret = frame.split('\n').find((l) => /^\s*:\s*\^/.test(l));
  const column = caret ? caret.indexOf('^') - caret.indexOf(':') - 1 : Number(at[3]);
  // The first line is the diagnosis after a marker (`x`, or `×` where the terminal has Unicode).
  const [first = '', ...rest] = frame.split('\n');
  const what = first.replace(/^\s*(?:Error:\s*)?\S\s+/, '').trim() || 'syntax error';
  const relative = path.relative(process.cwd(), file);
  const where = `${relative && !relative.startsWith('..') ? relative : file}:${line}:${column}`;
  const readable = new SyntaxError(`${where}: ${what}\n\n${rest.join('\n')}`);
  readable.stack = readable.message;
  return readable;
}

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
