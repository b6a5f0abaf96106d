import { HttpError } from './http-error';
import type { Catalog } from './catalog';

/** The warehouse's callback API as a promise, so it can be awaited. */
export function stockLevel(catalog: Catalog, sku: string): Promise<number> {
  return new Promise((resolve, reject) => {
    catalog.stockLevel(sku, (err, count) => {
      // The callback runs on a later turn of the event loop, where no try/catch
      // (not the Promise executor's, not Express's) can see a throw. reject()
      // puts the error into the promise the route awaits.
      if (err) return reject(err);
      resolve(count ?? 0);
    });
  });
}

/** Gives `work` at most `ms` milliseconds, then gives up with a 504. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Same as any callback: a throw here escapes to the process. Rejecting
      // settles the promise the route awaits, so the 504 reaches the error middleware.
      reject(new HttpError(504, 'upstream.timeout', `${what} did not answer within ${ms}ms.`));
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
