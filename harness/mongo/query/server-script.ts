/**
 * Server-side JavaScript: `$where` in filters, `$function` in expressions and
 * `$accumulator` in `$group`, as
 * mongod runs them. Like on mongod, this is code the server executes: here in a
 * `node:vm` context of its own, with a time limit on every call so that a loop in
 * a script ends in an error instead of hanging the engine, and the command's
 * `maxTimeMS` as a deadline over all its calls. Scripts get mongod's `sleep(ms)`,
 * which blocks the engine as it blocks mongod's operation, up to that deadline.
 * A vm context is not a security boundary; the engine is for local development and tests only.
 */
import vm from 'node:vm';
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { isPlainObject } from '../storage/values';

/** How long one call of a script may run before it fails with JSInterpreterFailure (139). */
export const SCRIPT_CALL_TIMEOUT_MS = 1_000;

type HostFunction = (this: unknown, ...args: unknown[]) => unknown;

/** When the running command must be done (its `maxTimeMS`), in `performance.now()` time. */
let commandDeadline = Number.POSITIVE_INFINITY;

/** Runs one command with its `maxTimeMS` (0 or none: no limit) as the deadline its scripts honour. */
export function withCommandDeadline<T>(maxTimeMS: unknown, run: () => T): T {
  const limit = Number(maxTimeMS);
  const previous = commandDeadline;
  commandDeadline = Number.isFinite(limit) && limit > 0 ? performance.now() + limit : Number.POSITIVE_INFINITY;
  try {
    return run();
  } finally {
    commandDeadline = previous;
  }
}

function timeLimitExceeded(): MongoCommandError {
  return new MongoCommandError('MaxTimeMSExpired', 'operation exceeded time limit');
}

/** How long the script call starting now may run, and whether the command's deadline is what limits it. */
function callBudget(): { ms: number; byDeadline: boolean } {
  const remaining = commandDeadline - performance.now();
  if (remaining <= 0) throw timeLimitExceeded();
  return remaining < SCRIPT_CALL_TIMEOUT_MS ? { ms: Math.max(1, Math.floor(remaining)), byDeadline: true } : { ms: SCRIPT_CALL_TIMEOUT_MS, byDeadline: false };
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** mongod's `sleep(ms)` for scripts: blocks, but never past the call's limit or the command's deadline. */
function sleepUntil(callEnds: number, operator: string): (ms: unknown) => void {
  return (ms) => {
    const start = performance.now();
    const wanted = start + Math.max(0, Number(ms) || 0);
    const until = Math.min(wanted, callEnds, commandDeadline);
    Atomics.wait(sleeper, 0, 0, Math.max(0, until - start));
    if (wanted <= until) return;
    if (until === commandDeadline) throw timeLimitExceeded();
    throw new MongoCommandError('JSInterpreterFailure', `${operator} failed: ran longer than ${SCRIPT_CALL_TIMEOUT_MS} ms`);
  };
}

/** Source text of a script value: a string or BSON Code (what drivers send for functions). */
function sourceOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if ((value as { _bsontype?: string } | null)?._bsontype === 'Code') return String((value as { code: unknown }).code);
  return undefined;
}

/** `$where` accepts an expression (`this.a > 1`) as well as a function; `$function` and `$accumulator` only functions. */
function asFunctionSource(source: string, operator: string): string {
  if (/^\s*(async\s+)?function\b/.test(source) || /^\s*(\([^)]*\)|[\w$]+)\s*=>/.test(source)) return source;
  if (operator === '$where') return `function () { return (${source}); }`;
  throw new MongoCommandError('JSInterpreterFailure', `${operator}: body must be a function, got ${JSON.stringify(source)}`);
}

function compile(source: string, operator: string): HostFunction {
  const context = vm.createContext(Object.create(null) as object);
  try {
    context.__script = new vm.Script(`(${asFunctionSource(source, operator)})`, { filename: operator }).runInContext(context, {
      timeout: SCRIPT_CALL_TIMEOUT_MS,
    });
  } catch (error) {
    if (error instanceof MongoCommandError) throw error;
    throw new MongoCommandError('JSInterpreterFailure', `${operator}: ${(error as Error).message}`);
  }
  if (typeof context.__script !== 'function') throw new MongoCommandError('JSInterpreterFailure', `${operator}: the script is not a function`);
  const call = new vm.Script('__script.apply(__this, __args)', { filename: operator });
  return function runScript(this: unknown, ...args: unknown[]): unknown {
    const budget = callBudget();
    context.__this = this;
    context.__args = args;
    context.sleep = sleepUntil(performance.now() + budget.ms, operator);
    try {
      return call.runInContext(context, { timeout: budget.ms });
    } catch (error) {
      if (error instanceof MongoCommandError) throw error;
      const timedOut = (error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
      if (timedOut && budget.byDeadline) throw timeLimitExceeded();
      throw new MongoCommandError('JSInterpreterFailure', `${operator} failed: ${timedOut ? `ran longer than ${SCRIPT_CALL_TIMEOUT_MS} ms` : (error as Error).message}`);
    }
  };
}

/**
 * A copy of `spec` (a filter or an aggregation expression / pipeline) where every
 * `$where` script and `$function` body is a function running in the vm, and whether
 * there were any (mingo runs them only with `scriptEnabled`).
 */
export function bindServerScripts<T>(spec: T): { spec: T; scripts: boolean } {
  let scripts = false;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    // Only literal objects are walked: values such as comparable.ts's BinaryView keep their class.
    if (!isPlainObject(value) || ![Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null)) return value;
    const out: Document = {};
    for (const [key, child] of Object.entries(value)) {
      const source = key === '$where' ? sourceOf(child) : undefined;
      if (source !== undefined) {
        out[key] = compile(source, '$where');
        scripts = true;
      } else if (key === '$function' && isPlainObject(child)) {
        const body = sourceOf(child.body);
        if (child.lang !== undefined && child.lang !== 'js') throw new MongoCommandError('BadValue', `$function: lang must be "js", got ${JSON.stringify(child.lang)}`);
        out[key] = { ...child, args: walk(child.args), body: body === undefined ? child.body : compile(body, '$function') };
        scripts = true;
      } else if (key === '$accumulator' && isPlainObject(child)) {
        if (child.lang !== undefined && child.lang !== 'js') throw new MongoCommandError('BadValue', `$accumulator: lang must be "js", got ${JSON.stringify(child.lang)}`);
        const bound: Document = { ...child, initArgs: walk(child.initArgs), accumulateArgs: walk(child.accumulateArgs) };
        for (const part of ['init', 'accumulate', 'merge', 'finalize']) {
          const source = sourceOf(child[part]);
          if (source !== undefined) bound[part] = compile(source, '$accumulator');
        }
        out[key] = bound;
        scripts = true;
      } else {
        out[key] = walk(child);
      }
    }
    return out;
  };
  return { spec: walk(spec) as T, scripts };
}
