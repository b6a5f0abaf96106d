import { randomBytes, scryptSync, timingSafeEqual, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import { Server } from 'socket.io';
import { pageHtml } from './page';

export interface Note {
  id: string;
  text: string;
  author: string;
  createdAt: string;
}

export interface NotesApp {
  /** `http://127.0.0.1:<port>`: the page is at `/`, the API under `/api`. */
  url: string;
  /** Stops the server (pages open on it then find it unreachable); a second call waits for the first. */
  close(): Promise<void>;
}

/** The longest note accepted, in characters. */
export const maxNoteLength = 280;

interface Account {
  email: string;
  name: string;
  salt: Buffer;
  hash: Buffer;
}

/**
 * A team's note board: one page (`/`) with a sign-in form and a list of notes
 * that updates live over Socket.io, and the JSON API it uses.
 *
 * - `POST /api/users` `{ email, password, name }` → 201 `{ email, name }` (409 taken, 400 invalid).
 * - `POST /api/login` `{ email, password }` → 200 `{ name }` and an HttpOnly `sid` cookie;
 *   401 `{ code: 'bad_credentials', message }` for a wrong email or password alike.
 * - `POST /api/logout` → 204; the session ends (its cookie no longer signs anything in).
 * - `GET /api/notes` (signed in) → the notes, oldest first.
 * - `POST /api/notes` `{ text }` (signed in) → 201 the note, and every signed-in page gets
 *   it as a Socket.io `note` event; 400 `{ code: 'invalid_note', message }` for a blank
 *   text or one over 280 characters; 401 when not signed in.
 * - Socket.io accepts only connections that carry a valid `sid` cookie.
 *
 * A script seeding data through the API signs in the same way and sends the cookie back.
 */
export async function startNotesApp(): Promise<NotesApp> {
  const accounts = new Map<string, Account>();
  const sessions = new Map<string, string>();
  const notes: Note[] = [];

  const app = express();
  app.use(express.json({ limit: '10kb' }));

  const sessionIdOf = (req: Pick<Request, 'headers'>) => /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const accountOf = (req: Pick<Request, 'headers'>): Account | undefined => {
    const sid = sessionIdOf(req);
    const email = sid ? sessions.get(sid) : undefined;
    return email ? accounts.get(email) : undefined;
  };

  app.get('/', (_req, res) => {
    res.type('html').send(pageHtml);
  });

  app.post('/api/users', (req, res) => {
    const { email, password, name } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email) || typeof password !== 'string' || password.length < 8 || typeof name !== 'string' || !name.trim()) {
      res.status(400).json({ code: 'invalid_user', message: 'An email, a password of 8 characters or more, and a name are required.' });
      return;
    }
    if (accounts.has(email.toLowerCase())) {
      res.status(409).json({ code: 'email_taken', message: 'This email is already registered.' });
      return;
    }
    const salt = randomBytes(16);
    accounts.set(email.toLowerCase(), { email: email.toLowerCase(), name: name.trim(), salt, hash: scryptSync(password, salt, 32) });
    res.status(201).json({ email: email.toLowerCase(), name: name.trim() });
  });

  app.post('/api/login', (req, res) => {
    const { email, password } = (req.body ?? {}) as Record<string, unknown>;
    const account = typeof email === 'string' ? accounts.get(email.toLowerCase()) : undefined;
    // Same answer for an unknown email and a wrong password: no account enumeration.
    if (!account || typeof password !== 'string' || !timingSafeEqual(scryptSync(password, account.salt, 32), account.hash)) {
      res.status(401).json({ code: 'bad_credentials', message: 'Wrong email or password.' });
      return;
    }
    const sid = randomBytes(24).toString('base64url');
    sessions.set(sid, account.email);
    res.cookie('sid', sid, { httpOnly: true, sameSite: 'lax', path: '/' });
    res.json({ name: account.name });
  });

  app.post('/api/logout', (req, res) => {
    const sid = sessionIdOf(req);
    if (sid) sessions.delete(sid);
    res.clearCookie('sid', { httpOnly: true, sameSite: 'lax', path: '/' });
    res.status(204).end();
  });

  app.get('/api/me', (req, res) => {
    const account = accountOf(req);
    if (!account) {
      res.status(401).json({ code: 'unauthenticated', message: 'Sign in first.' });
      return;
    }
    res.json({ name: account.name });
  });

  app.get('/api/notes', (req, res) => {
    if (!accountOf(req)) {
      res.status(401).json({ code: 'unauthenticated', message: 'Sign in first.' });
      return;
    }
    res.json(notes);
  });

  app.post('/api/notes', (req, res) => {
    const account = accountOf(req);
    if (!account) {
      res.status(401).json({ code: 'unauthenticated', message: 'Sign in first.' });
      return;
    }
    const text = (req.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text.trim() === '' || text.length > maxNoteLength) {
      res.status(400).json({ code: 'invalid_note', message: `A note needs some text, at most ${maxNoteLength} characters.` });
      return;
    }
    const note: Note = { id: randomUUID(), text: text.trim(), author: account.name, createdAt: new Date().toISOString() };
    notes.push(note);
    io.to('signed-in').emit('note', note);
    res.status(201).json(note);
  });

  const server = http.createServer(app);
  const io = new Server(server);
  io.use((socket, next) => {
    if (!accountOf(socket.handshake)) return next(new Error('unauthenticated'));
    next();
  });
  io.on('connection', (socket) => {
    void socket.join('signed-in');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    // io.close() disconnects every page and closes the HTTP server with it. Closing
    // twice is harmless: a test may stop the server to see how the page copes.
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        io.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
