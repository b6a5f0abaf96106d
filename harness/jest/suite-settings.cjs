// @ts-check
/**
 * What a grader's Jest environment tells the harness about the suite it runs (a mutant's
 * browser engines, its page wait limit), on a global the test files do not see in
 * `process.env`.
 *
 * Why not environment variables: they were the only thing that told a mutant's suite from
 * the real app's (a mutant's KATA_BROWSER_TIMEOUT was half the app's), so a test that failed
 * when it saw a short limit "caught" every mutant without testing anything. The harness reads
 * these settings first (harness/browser/engines.ts, harness/config.ts); the variables stay
 * the user's own settings, the same in every suite.
 *
 * Plain CommonJS: the test environment (first-failure-environment.cjs) loads it untransformed.
 */
const key = Symbol.for('kata.suiteSettings');

/**
 * @typedef {{ browserEngines?: readonly string[], browserTimeoutMs?: number }} SuiteSettings
 */

/**
 * Puts the settings on a test context's global, not enumerable and read-only.
 *
 * @param {Record<PropertyKey, unknown>} global
 * @param {SuiteSettings} settings
 */
function setSuiteSettings(global, settings) {
  Object.defineProperty(global, key, { value: Object.freeze({ ...settings }), enumerable: false, writable: false, configurable: false });
}

/**
 * The settings of the suite running in this realm, or none outside a grader's suite.
 *
 * @returns {SuiteSettings}
 */
function suiteSettings() {
  return /** @type {SuiteSettings | undefined} */ (/** @type {Record<PropertyKey, unknown>} */ (globalThis)[key]) ?? {};
}

module.exports = { setSuiteSettings, suiteSettings };
