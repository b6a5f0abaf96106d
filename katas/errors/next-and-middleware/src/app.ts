import express from 'express';
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
  app.get('/notes/export', (_req, res) => {
    res.type('application/x-ndjson');
    store.forEach(
      (note) => res.write(`${JSON.stringify(note)}\n`),
      // TODO: a store failure halfway through still ends the response as if the export were complete.
      (_err) => {
        res.end();
      },
    );
  });

  app.get('/notes/:id', (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id < 1) {
      throw new HttpError(400, 'note.invalid_id', `A note id is a positive integer; got ${JSON.stringify(req.params.id)}.`);
    }
    store.get(id, (err, note) => {
      // TODO: every store failure becomes the same 500 text, whatever its status and code.
      if (err) {
        logger.error(err);
        res.status(500).send('Something broke!');
        return;
      }
      res.json(note);
    });
  });

  // TODO: a request no route matched gets Express's HTML "Cannot GET" page.

  // TODO: no error middleware yet, so every error reaches Express's default handler, which answers HTML.

  return app;
}
