import { EventEmitter } from 'node:events';
import http from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import type request from 'supertest';
import supertest from 'supertest';
import { startServer, expectProblem, expectStillServing } from '../../../harness';
import { createApp } from './src/app';
import { createMemoryCatalog, type Catalog } from './src/catalog';
import { HttpError } from './src/http-error';

const widget = { sku: 'W-1', name: 'Widget', price: 12, stock: 3 };

/** A catalog that works, except for the parts a test replaces. */
function buildCatalog(overrides: Partial<Catalog> = {}): Catalog {
  return { ...createMemoryCatalog([widget]), ...overrides };
}

/** Records what the app logs, so tests can assert on it and the output stays quiet. */
function recordingLogger() {
  const entries: unknown[][] = [];
  return { entries, error: (...args: unknown[]) => void entries.push(args) };
}

async function startProductsApi(catalog: Catalog, options: { stockDeadlineMs?: number } = {}) {
  const logger = recordingLogger();
  const { url } = await startServer(createApp({ catalog, logger, ...options }));
  return { url, logger };
}

/**
 * An error that escapes Express (thrown in a callback, a timer, an 'error'
 * event nobody listens to) is an uncaught exception: in production it crashes
 * the process. While `work` runs, such an escape is caught here and fails the
 * test once, naming the error, instead of leaving the request hanging.
 */
async function failOnEscape<T>(work: PromiseLike<T>): Promise<T> {
  let escaped: ((error: unknown) => void) | undefined;
  const escape = new Promise<never>((_resolve, reject) => {
    escaped = (error) =>
      reject(
        new Error(
          'The error never reached the error middleware: it escaped as an uncaught exception, which ' +
            `crashes a production process. The escaped error: ${String(error)}`,
          { cause: error },
        ),
      );
  });
  process.setUncaughtExceptionCaptureCallback((error) => escaped?.(error));
  try {
    return await Promise.race([work, escape]);
  } finally {
    process.setUncaughtExceptionCaptureCallback(null);
  }
}

/**
 * Sends the request and waits for its response, or for the error that escaped
 * instead. A route that neither answers nor lets anything escape is reported
 * after 10 s, far beyond what a busy machine needs for a local request.
 */
async function answered(test: request.Test): Promise<request.Response> {
  try {
    return await failOnEscape(test.timeout({ response: 10_000 }));
  } catch (error) {
    if ((error as { timeout?: unknown }).timeout === undefined) throw error;
    throw new Error('No response within 10 s, and no error escaped: the route neither answered nor passed its error to next.', {
      cause: error,
    });
  }
}

describe('1. Async routes: catch only what you can handle', () => {
  describe('GET /products/:sku (a native async route: Express 5 forwards its rejections)', () => {
    describe('when the catalog is down (findProduct rejects with 503)', () => {
      it('answers 503 catalog.unavailable, not a 404', async () => {
        const outage = new HttpError(503, 'catalog.unavailable', 'catalog is down');
        const { url } = await startProductsApi(buildCatalog({ findProduct: () => Promise.reject(outage) }));

        const res = await answered(supertest(url).get('/products/W-1'));

        expectProblem(res, 503, 'catalog.unavailable');
      });
    });

    describe('when findProduct rejects with no value at all', () => {
      it('still answers a proper 500 internal JSON error, logs it, and keeps serving', async () => {
        const { url, logger } = await startProductsApi(buildCatalog({ findProduct: () => Promise.reject(undefined) }));

        const res = await answered(supertest(url).get('/products/W-1'));

        expectProblem(res, 500, 'internal');
        expect(logger.entries).toHaveLength(1);
        await expectStillServing(url);
      });
    });

    describe('when only the pricing service is unavailable', () => {
      it('answers 200 with the product and a null price (catch what you can handle)', async () => {
        const outage = new HttpError(503, 'pricing.unavailable', 'pricing is down');
        const { url } = await startProductsApi(buildCatalog({ price: () => Promise.reject(outage) }));

        const res = await answered(supertest(url).get('/products/W-1'));

        expect(res.status).toBe(200);
        expect(res.body).toEqual({ sku: 'W-1', name: 'Widget', price: null });
      });
    });

    describe('when pricing fails with another upstream error (504 upstream.timeout)', () => {
      it('answers that error with its own status: only pricing.unavailable is handled', async () => {
        const timeout = new HttpError(504, 'upstream.timeout', 'the price service did not answer');
        const { url } = await startProductsApi(buildCatalog({ price: () => Promise.reject(timeout) }));

        const res = await answered(supertest(url).get('/products/W-1'));

        expectProblem(res, 504, 'upstream.timeout');
      });
    });

    describe('when pricing fails with a bug (a TypeError)', () => {
      it('answers 500 internal and logs the error (rethrow what you cannot handle)', async () => {
        const bug = new TypeError("Cannot read properties of undefined (reading 'amount')");
        const { url, logger } = await startProductsApi(buildCatalog({ price: () => Promise.reject(bug) }));

        const res = await answered(supertest(url).get('/products/W-1'));

        expectProblem(res, 500, 'internal');
        expect(logger.entries.flat()).toContain(bug);
      });
    });
  });
});

describe('2. Callbacks and timers reject, never throw', () => {
  describe('GET /products/:sku/stock (a callback API wrapped in a promise, behind asyncHandler)', () => {
    describe('when the warehouse calls back with a 404 error', () => {
      it('answers 404 product.not_found and keeps serving', async () => {
        const { url } = await startProductsApi(buildCatalog());

        const res = await answered(supertest(url).get('/products/NOPE/stock'));

        expectProblem(res, 404, 'product.not_found');
        await expectStillServing(url);
      });
    });

    describe('when the warehouse never calls back (the deadline timer fires)', () => {
      it('answers 504 upstream.timeout and keeps serving', async () => {
        const { url } = await startProductsApi(buildCatalog({ stockLevel: () => {} }), { stockDeadlineMs: 20 });

        const res = await answered(supertest(url).get('/products/W-1/stock'));

        expectProblem(res, 504, 'upstream.timeout');
        await expectStillServing(url);
      });
    });
  });
});

describe('4. Emitters and streams', () => {
  describe('GET /products/:sku/price-updates/next (an event emitter)', () => {
    describe("when the emitter emits 'error' instead of 'price'", () => {
      it('answers the error (503 pricing.unavailable) and keeps serving', async () => {
        const outage = new HttpError(503, 'pricing.unavailable', 'price feed lost');
        const { url } = await startProductsApi(buildCatalog({ priceUpdates: () => failingUpdates(outage) }));

        const res = await answered(supertest(url).get('/products/W-1/price-updates/next'));

        expectProblem(res, 503, 'pricing.unavailable');
        await expectStillServing(url);
      });
    });
  });

  describe('GET /products.csv (a stream)', () => {
    describe('when the export stream fails before the first row', () => {
      it('answers 503 catalog.unavailable as JSON and keeps serving', async () => {
        const outage = new HttpError(503, 'catalog.unavailable', 'export cursor lost');
        const { url } = await startProductsApi(buildCatalog({ exportCsv: () => failingRows([], outage) }));

        const res = await answered(supertest(url).get('/products.csv'));

        expectProblem(res, 503, 'catalog.unavailable');
        await expectStillServing(url);
      });
    });

    describe('when the export stream fails after some rows were sent', () => {
      it('aborts the response, so the client cannot take a partial export for a complete one', async () => {
        const outage = new HttpError(503, 'catalog.unavailable', 'export cursor lost');
        const rows = ['sku,name,price\n', 'W-1,Widget,12\n'];
        const { url } = await startProductsApi(buildCatalog({ exportCsv: () => failingRows(rows, outage) }));

        const outcome = await failOnEscape(readToTheEnd(`${url}/products.csv`));

        expect(outcome).toBe('aborted');
        await expectStillServing(url);
      });
    });
  });
});

/** An emitter that emits `error` on the next turn, once the route had its chance to subscribe. */
function failingUpdates(error: Error): EventEmitter {
  const updates = new EventEmitter();
  setImmediate(() => updates.emit('error', error));
  return updates;
}

/** A stream that yields `rows`, then fails with `error` on a later turn. */
function failingRows(rows: string[], error: Error): Readable {
  return Readable.from(
    (async function* () {
      yield* rows;
      await new Promise((resolve) => setImmediate(resolve));
      throw error;
    })(),
  );
}

/**
 * Reads a response to its end and says how it ended: 'complete' when the body
 * was properly terminated, 'aborted' when the connection was cut, 'hung' when
 * nothing ended it within 10 seconds (a route that neither ends nor aborts).
 */
function readToTheEnd(url: string): Promise<'complete' | 'aborted' | 'hung'> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.complete ? 'complete' : 'aborted'));
      res.on('error', () => resolve('aborted'));
    });
    req.on('error', () => resolve('aborted'));
    req.setTimeout(10_000, () => {
      resolve('hung');
      req.destroy();
    });
  });
}
