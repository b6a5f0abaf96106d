import type { NextFunction, Request, RequestHandler, Response } from 'express';

export type AsyncRequestHandler = (req: Request, res: Response, next: NextFunction) => Promise<unknown>;

/**
 * Lets an async function serve as Express middleware where nothing awaits its
 * promise (Express 4, or any callback-taking API): every failure of `fn` must
 * end up in exactly one `next(err)`.
 */
export function asyncHandler(fn: AsyncRequestHandler): RequestHandler {
  return (req, res, next) => {
    // Calling fn inside the executor turns a synchronous throw (a plain function
    // that throws before it returns a promise) into a rejection as well.
    new Promise<unknown>((resolve) => resolve(fn(req, res, next))).catch((reason: unknown) => {
      // next(undefined), next(null), next(0)… all mean "no error, carry on" to
      // Express: the request would fall through to the next route. A rejection
      // is a failure whatever its value, so give it an Error, as Express 5 does
      // for the promises it awaits itself ("Rejected promise").
      next(reason || new Error(`Rejected without a reason (${String(reason)})`));
    });
  };
}
