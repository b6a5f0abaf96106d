/** Types for progress-reporter.cjs (plain CommonJS so Jest can load it untransformed). */
export interface RecordedTest {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Set on a testing kata's grade-spec test for one mutant (passed = the learner's tests caught it). */
  mutant?: true;
}
export interface RecordedFile {
  updatedAt: string;
  /** Hash of the kata's code and specs when the run started (absent in files written before hashing). */
  contentHash?: string | null;
  tests: RecordedTest[];
  suiteError: string | null;
}
export interface ProgressFile {
  version: 1;
  katas: Record<string, { files: Record<string, RecordedFile> }>;
}
interface SuiteResult {
  testFilePath: string;
  testExecError?: { message?: string } | null;
  failureMessage?: string | null;
  testResults: Array<{ fullName: string; title?: string; status: string }>;
}
declare class KataProgressReporter {
  constructor(globalConfig: { rootDir: string; testNamePattern?: string });
  onTestFileStart(test: { path: string }): void;
  onRunComplete(contexts: unknown, results: { testResults: SuiteResult[] }): void;
}
declare namespace KataProgressReporter {
  function recordRun(rootDir: string, testResults: SuiteResult[], options?: { now?: Date; testNamePattern?: string; hashes?: Record<string, string | null> }): void;
  function readProgress(file: string): ProgressFile;
  function kataContentHash(kataDir: string): string | null;
}
export = KataProgressReporter;
