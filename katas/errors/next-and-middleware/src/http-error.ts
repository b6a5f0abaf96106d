/**
 * An error that knows how it should reach the client: an HTTP `status` and a
 * stable `code` a client can switch on (the message is for people).
 */
export class HttpError extends Error {
  override name = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
