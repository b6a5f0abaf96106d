import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from './http-error';
import { createMemoryStore, type NotesStore } from './notes-store';

/** Where the app reports failures; `console` fits, specs pass a recorder. */
export type Logger = Pick<Console, 'error'>;

export interface AppOptions {
  store?: NotesStore;
  logger?: Logger;
}

/** A small notes API. No `listen` here: whoever runs the app decides where. */
export function createApp({ store = createMemoryStore(), logger = console }: AppOptions = {}): express.Express {
  const app = express();
  app.use(express.json({ limit: '1kb' }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.post('/notes', (req, res, next) => {
    const { title, body = '' } = (req.body ?? {}) as { title?: unknown; body?: unknown };
    if (typeof title !== 'string' || title.trim() === '' || typeof body !== 'string') {
      return next(new HttpError(400, 'note.invalid', `A note needs a non-empty string "title"; got ${JSON.stringify(title)}.`));
    }
    store.create({ title, body }, (err, note) => {
      if (err) return next(err);
      res.status(201).json(note);
    });
  });

  // Streams every note, one JSON document per line.
  app.get('/notes/export', (_req, res, next) => {
    res.type('application/x-ndjson');
    store.forEach(
      (note) => res.write(`${JSON.stringify(note)}\n`),
      (err) => {
        // Ending normally would tell the client "that was everything". The headers
        // are gone, so we cannot send an error status any more: hand the error on
        // and let the error middleware decide (it will abort the connection).
        if (err) return next(err);
        res.end();
      },
    );
  });

  app.get('/notes/:id', (req, res, next) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id < 1) {
      // A synchronous throw is fine: Express catches it and calls next(err) for us.
      throw new HttpError(400, 'note.invalid_id', `A note id is a positive integer; got ${JSON.stringify(req.params.id)}.`);
    }
    store.get(id, (err, note) => {
      // This callback runs on a later turn of the event loop, outside Express's
      // try/catch: a throw here would crash the process. next(err) is the only
      // way back, and it keeps the error's own status and code (404 note.not_found).
      if (err) return next(err);
      res.json(note);
    });
  });

  // Registered after every route, so it only runs when none of them matched;
  // turning "no route" into an error gives it the same JSON shape as every other.
  app.use((req, _res, next) => {
    next(new HttpError(404, 'route.not_found', `No route for ${req.method} ${req.path}.`));
  });

  // Express tells error middleware apart by its arity: it must declare all four
  // parameters, even if `next` looks unused, or Express treats it as a normal one.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    // Once the status line and headers are out, no error response can follow.
    // Express's default handler knows what to do then: destroy the socket, so the
    // client sees an aborted response instead of a truncated "success".
    if (res.headersSent) return next(err);

    const { status, code, message } = describeError(err);
    if (status >= 500) logger.error(err);
    // res.json() keeps a Content-Type the route already set (the export's
    // x-ndjson): say explicitly that this body is JSON.
    res.status(status).type('application/json').json({ code, message });
  });

  return app;
}

/**
 * Turns anything that was thrown into what the client may see. `res.status()`
 * throws on a status that is not an integer in 100..999 (Express 5), and a
 * "status" of 200 would report success; so only a 4xx/5xx `status` is trusted.
 * Anything else is a bug on our side: 500, and its message stays in the logs.
 */
function describeError(err: unknown): { status: number; code: string; message: string } {
  const fields = (typeof err === 'object' && err !== null ? err : {}) as {
    status?: unknown;
    code?: unknown;
    type?: unknown;
    message?: unknown;
  };
  const { status } = fields;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
    return { status: 500, code: 'internal', message: 'Internal Server Error' };
  }
  // Our own errors carry `code`; body-parser's carry `type` (entity.parse.failed,
  // entity.too.large…), which is just as stable, so clients get it as the code.
  const code =
    typeof fields.code === 'string' ? fields.code : typeof fields.type === 'string' ? fields.type : status < 500 ? 'bad_request' : 'internal';
  // A 4xx message explains the client's mistake; a 5xx message may name our internals.
  const message = status < 500 && typeof fields.message === 'string' ? fields.message : 'Internal Server Error';
  return { status, code, message };
}
