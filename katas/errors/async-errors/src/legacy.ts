import { HttpError } from './http-error';
import type { Catalog } from './catalog';

/** The warehouse's callback API as a promise, so it can be awaited. */
export function stockLevel(catalog: Catalog, sku: string): Promise<number> {
  return new Promise((resolve) => {
    catalog.stockLevel(sku, (err, count) => {
      // TODO: this callback runs on a later turn of the event loop: a throw here is an uncaught exception.
      if (err) throw err;
      resolve(count ?? 0);
    });
  });
}

/** Gives `work` at most `ms` milliseconds, then gives up with a 504. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      // TODO: a throw inside a timer callback is an uncaught exception that crashes the process.
      throw new HttpError(504, 'upstream.timeout', `${what} did not answer within ${ms}ms.`);
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
