import type { NextFunction, Request, RequestHandler, Response } from 'express';

export type AsyncRequestHandler = (req: Request, res: Response, next: NextFunction) => Promise<unknown>;

/**
 * Lets an async function serve as Express middleware where nothing awaits its
 * promise (Express 4, or any callback-taking API): every failure of `fn` must
 * end up in exactly one `next(err)`.
 */
export function asyncHandler(fn: AsyncRequestHandler): RequestHandler {
  return (req, res, next) => {
    // TODO: `reject()` with no value calls next(undefined), which Express reads as "no error"; a synchronous throw escapes.
    fn(req, res, next).catch(next);
  };
}
