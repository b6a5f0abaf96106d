import { describe, expect, it } from '@jest/globals';
import type { NextFunction, Request, Response } from 'express';
import { asyncHandler, type AsyncRequestHandler } from './src/async-handler';

/** Runs `fn` through asyncHandler and resolves with every value passed to next, once things settle. */
async function nextCallsOf(fn: AsyncRequestHandler): Promise<unknown[][]> {
  const calls: unknown[][] = [];
  const next = ((...args: unknown[]) => void calls.push(args)) as NextFunction;
  const handler = asyncHandler(fn);

  try {
    handler({} as Request, {} as Response, next);
  } catch (error) {
    throw new Error(`asyncHandler let a synchronous throw escape instead of passing it to next: ${String(error)}`, {
      cause: error,
    });
  }
  await new Promise((resolve) => setImmediate(resolve));
  return calls;
}

describe('3. An asyncHandler that never loses an error', () => {
  describe('asyncHandler(fn)', () => {
    describe('when fn is a plain function that throws before returning a promise', () => {
      it('passes that error to next, exactly once', async () => {
        const failure = new Error('thrown synchronously');

        const calls = await nextCallsOf(() => {
          throw failure;
        });

        expect(calls).toEqual([[failure]]);
      });
    });

    describe('when fn rejects with no usable value', () => {
      it.each([
        ['undefined', undefined],
        ['null', null],
        ['0', 0],
        ['an empty string', ''],
      ])('when the reason is %s, then next receives an Error, exactly once', async (_label, reason) => {
        const calls = await nextCallsOf(() => Promise.reject(reason));

        expect(calls).toHaveLength(1);
        expect(calls[0]?.[0]).toBeInstanceOf(Error);
      });
    });
  });
});
