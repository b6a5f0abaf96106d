/**
 * The browser verbs alone, for test files that need nothing else from the harness:
 * `import { useBrowser } from '<root>/harness/browser'` loads in a tenth of a second,
 * where the whole harness (MongoDB, Redis, OIDC…) takes seconds per test file, and a
 * grader loads the file once per mutant.
 */
export { useBrowser, type BrowserHandle } from './use-browser';
export { forEachBrowser } from './for-each-browser';
export { browserEngines, type BrowserEngine } from './engines';
export type { KataPage, Role, TextMatch } from './kata-page';
