import http from 'node:http';
import { describe, expect, it } from '@jest/globals';
import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { startServer, expectProblem, expectStillServing } from '../../../harness';
import { createApp } from './src/app';
import { HttpError } from './src/http-error';
import { createMemoryStore, type Note, type NotesStore } from './src/notes-store';

/** Records what the app logs, so tests can assert on it and the output stays quiet. */
function recordingLogger() {
  const entries: unknown[][] = [];
  return { entries, error: (...args: unknown[]) => void entries.push(args) };
}

/** A store whose every call fails, later, with `error`, as a broken driver would. */
function failingStore(error: Error): NotesStore {
  const later = (fn: () => void) => void setImmediate(fn);
  return {
    get: (_id, done) => later(() => done(error)),
    create: (_draft, done) => later(() => done(error)),
    forEach: (_visit, done) => later(() => done(error)),
  };
}

/** A store that hands out `notes` for an export, then loses its cursor. */
function storeFailingMidExport(notes: Note[], error: Error): NotesStore {
  return {
    ...createMemoryStore(),
    forEach(visit, done) {
      setImmediate(() => {
        notes.forEach(visit);
        setImmediate(() => done(error));
      });
    },
  };
}

async function startNotesApi(options: Parameters<typeof createApp>[0] = {}) {
  const logger = recordingLogger();
  const { url } = await startServer(createApp({ logger, ...options }));
  return { url, logger };
}

describe('1. Answer errors as JSON', () => {
  describe('GET /notes/:id', () => {
    describe('when the id is not a positive integer (a synchronous throw)', () => {
      it('answers 400 note.invalid_id as JSON', async () => {
        const { url } = await startNotesApi();

        const res = await request(url).get('/notes/abc');

        expectProblem(res, 400, 'note.invalid_id');
        await expectStillServing(url);
      });
    });
  });

  describe('POST /notes', () => {
    describe('when the title is missing (next(err) from synchronous code)', () => {
      it('answers 400 note.invalid as JSON', async () => {
        const { url } = await startNotesApi();

        const res = await request(url).post('/notes').send({ body: 'no title' });

        expectProblem(res, 400, 'note.invalid');
      });
    });
  });
});

describe('2. Forward callback errors with next(err)', () => {
  describe('GET /notes/:id', () => {
    describe('when the store calls back with a 404 error', () => {
      it('answers 404 note.not_found: the callback forwards the error with next(err)', async () => {
        const { url } = await startNotesApi({ store: createMemoryStore([{ title: 'only one', body: '' }]) });

        const res = await request(url).get('/notes/999');

        expectProblem(res, 404, 'note.not_found');
      });
    });

    describe('when the store fails with an unexpected error', () => {
      it('answers 500 internal, keeps the internal message out of the body, and logs the error', async () => {
        const failure = new Error('connect ECONNREFUSED 10.0.0.7:27017 (secret-host)');
        const { url, logger } = await startNotesApi({ store: failingStore(failure) });

        const res = await request(url).get('/notes/1');

        const body = expectProblem(res, 500, 'internal');
        expect(JSON.stringify(body)).not.toContain('secret-host');
        expect(logger.entries.flat()).toContain(failure);
        await expectStillServing(url);
      });
    });
  });
});

describe('3. Trust only a 4xx/5xx status', () => {
  describe('an error whose status is not a usable HTTP error status', () => {
    // Libraries attach `status` to their errors, not always a valid one. Express 5's
    // res.status() throws on anything but an integer in 100..999.
    it.each([
      ['missing', undefined],
      ['42', 42],
      ['"abc"', 'abc'],
      ['200 (a success status)', 200],
      ['302 (a redirect)', 302],
      ['600 (beyond the error classes)', 600],
    ])('when the status is %s, then the app answers 500 internal as JSON and keeps serving', async (_label, status) => {
      const weird = Object.assign(new Error('legacy driver said no'), { status, code: 'legacy.failure' });
      const { url } = await startNotesApi({ store: failingStore(weird) });

      const res = await request(url).get('/notes/1');

      const body = expectProblem(res, 500, 'internal');
      expect(JSON.stringify(body)).not.toContain('legacy driver said no');
      await expectStillServing(url);
    });
  });
});

describe('4. Unknown routes and bad bodies', () => {
  describe('a request no route matches', () => {
    it.each(['GET', 'DELETE'] as const)('when it is %s /nowhere, then the app answers 404 route.not_found as JSON', async (method) => {
      const { url } = await startNotesApi();

      const res = await request(url)[method === 'GET' ? 'get' : 'delete']('/nowhere');

      expectProblem(res, 404, 'route.not_found');
    });
  });

  describe('POST /notes', () => {
    describe('when the body is malformed JSON', () => {
      it('answers 400 entity.parse.failed as JSON and keeps serving', async () => {
        const { url } = await startNotesApi();

        const res = await request(url).post('/notes').set('content-type', 'application/json').send('{"title": "unfinished');

        expectProblem(res, 400, 'entity.parse.failed');
        await expectStillServing(url);
      });
    });

    describe('when the body is larger than the 1kb limit', () => {
      it('answers 413 entity.too.large as JSON and keeps serving', async () => {
        const { url } = await startNotesApi();

        const res = await request(url).post('/notes').send({ title: 'big', body: 'x'.repeat(4 * 1024) });

        expectProblem(res, 413, 'entity.too.large');
        await expectStillServing(url);
      });
    });
  });
});

describe('5. Errors after the headers are sent', () => {
  describe('GET /notes/export', () => {
    describe('when the store fails before the first note was written', () => {
      it("answers the error as JSON with the error's status, even though the route had set another content type", async () => {
        const cursorLost = new HttpError(503, 'store.cursor_lost', 'cursor lost');
        const { url } = await startNotesApi({ store: storeFailingMidExport([], cursorLost) });

        const res = await request(url).get('/notes/export');

        const body = expectProblem(res, 503, 'store.cursor_lost');
        expect(JSON.stringify(body)).not.toContain('cursor lost');
      });
    });

    describe('when the store fails after the first notes were streamed (headers already sent)', () => {
      it('hands the original error on with next(err), so Express aborts the response instead of ending it as complete', async () => {
        const cursorLost = new HttpError(503, 'store.cursor_lost', 'cursor lost');
        const notes = [1, 2].map((id) => ({ id, title: `note ${id}`, body: '' }));
        // Mount the kata's app in an outer app, whose error middleware sees what the
        // kata's error middleware passes on (Express's default handler comes next).
        const delegated: unknown[] = [];
        const outer = express();
        outer.use(createApp({ store: storeFailingMidExport(notes, cursorLost), logger: recordingLogger() }));
        outer.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
          delegated.push(err);
          next(err);
        });
        const { url } = await startServer(outer);

        const outcome = await readToTheEnd(`${url}/notes/export`);

        expect(delegated).toEqual([cursorLost]);
        expect(outcome).toBe('aborted');
        await expectStillServing(url);
      });
    });
  });
});

/**
 * Reads a response to its end and says how it ended: 'complete' when the body
 * was properly terminated, 'aborted' when the connection was cut, 'hung' when
 * nothing ended it within two seconds (a handler that neither answers nor
 * delegates).
 */
function readToTheEnd(url: string): Promise<'complete' | 'aborted' | 'hung'> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.complete ? 'complete' : 'aborted'));
      res.on('error', () => resolve('aborted'));
    });
    req.on('error', () => resolve('aborted'));
    req.setTimeout(2_000, () => {
      resolve('hung');
      req.destroy();
    });
  });
}
