import type { SpecRun } from './run-specs';

/** A failure of the machine, not of the learner's code: what is missing and how to fix it. */
export interface EnvironmentProblem {
  /** Stable id (`KATA_REDIS_MISSING`, …). */
  code: string;
  summary: string;
  fix: string;
  /** The first line of the original error, for the curious. */
  detail?: string;
}

interface Signature {
  code: string;
  test: RegExp;
  summary: string;
  fix: string;
}

/**
 * How the harness's environment failures read in a Jest failure message. The
 * codes are the harness's own (harness/setup, harness/db); the MongoDB driver's
 * MongoServerSelectionError is what an unreachable MONGO_URL gives.
 */
const signatures: Signature[] = [
  {
    code: 'KATA_REDIS_MISSING',
    test: /KATA_REDIS_MISSING|No redis-server binary is usable|RedisBinaryMissingError/,
    summary: 'no usable redis-server, so the specs that need Redis cannot start it.',
    fix: 'install Redis (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`) or set REDISMS_SYSTEM_BINARY to a redis-server, then run `npm run setup`.',
  },
  {
    code: 'KATA_REDIS_BINARY_INVALID',
    test: /KATA_REDIS_BINARY_INVALID|REDISMS_SYSTEM_BINARY="[^"]*" (is not|does not)/,
    summary: 'REDISMS_SYSTEM_BINARY names a redis-server that cannot run.',
    fix: 'point REDISMS_SYSTEM_BINARY at a working redis-server (`which redis-server`), or unset it to use the one `npm run setup` recorded.',
  },
  {
    code: 'KATA_MONGO_UNREACHABLE',
    test: /KATA_MONGO_UNREACHABLE|MongoServerSelectionError/,
    summary: 'the MongoDB server at MONGO_URL does not answer.',
    fix: 'start that server (or correct MONGO_URL), or unset MONGO_URL to use the embedded engine.',
  },
  {
    code: 'KATA_MONGO_UNAVAILABLE',
    test: /KATA_MONGO=mongod but no mongod/,
    summary: 'KATA_MONGO=mongod asks for a real mongod and none is installed.',
    fix: 'run `npm run setup` online to download one, or unset KATA_MONGO to use the embedded engine.',
  },
  {
    code: 'KATA_CONFIG_INVALID',
    test: /KATA_CONFIG_INVALID|KATA_[A-Z_]+="[^"]*" is not valid/,
    summary: 'a KATA_* setting holds a value the harness cannot use.',
    fix: 'correct or unset the variable named in the message.',
  },
];

/** The environment problem a piece of Jest output describes, if any. */
export function environmentProblemIn(text: string): EnvironmentProblem | undefined {
  const signature = signatures.find((s) => s.test.test(text));
  if (!signature) return undefined;
  const detail = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => signature.test.test(l) || /Error:/.test(l));
  return { code: signature.code, summary: signature.summary, fix: signature.fix, ...(detail ? { detail } : {}) };
}

/**
 * A run whose every failure is the same environment problem (a missing
 * service fails every spec that needs it) is that problem, once, not red specs.
 * A run with any other failure is about the code.
 */
export function environmentProblemOf(run: SpecRun): EnvironmentProblem | undefined {
  const failures = [...run.suiteErrors.map((e) => e.message), ...run.tests.filter((t) => t.status === 'failed').map((t) => t.failure ?? '')];
  if (failures.length === 0) return undefined;
  const problems = failures.map(environmentProblemIn);
  const first = problems[0];
  return first && problems.every((p) => p?.code === first.code) ? first : undefined;
}
