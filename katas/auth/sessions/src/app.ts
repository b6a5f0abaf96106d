import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { AppError, notFoundHandler, problemHandler, requestId, unauthenticated, type ProblemOptions } from '../../../../lib/errors';
import { loadConfig, systemClock, type Clock, type SessionConfig } from './config';
import { localStrategy, type SessionUser } from './local-strategy';
import { User } from './user.model';

export interface AppDeps {
  config?: SessionConfig;
  clock?: Clock;
  /** Where sessions live; express-session's MemoryStore by default (the caching phase swaps in Redis). */
  store?: session.Store;
  log?: ProblemOptions['log'];
}

/** The fields this app keeps in a session. */
type AppSession = session.Session & { user?: SessionUser & { passwordHash?: string } };

/** A notes API behind a cookie session, with Passport's local strategy for login. */
export function createApp({ config = loadConfig(), clock: _clock = systemClock, store = new session.MemoryStore(), log }: AppDeps = {}): express.Express {
  const app = express();
  const passport = new Passport();
  passport.use(localStrategy());
  app.use(requestId());
  app.use(express.json({ limit: '10kb' }));

  // TODO: the cookie has no SameSite and is never Secure, and behind a TLS-terminating proxy the app cannot tell it was reached over HTTPS.
  app.use(session({ name: 'sid', secret: config.secret, store, resave: false, saveUninitialized: false }));
  app.use(passport.initialize());

  // TODO: Passport never serialises the user: the login route copies the whole user into the session, and nothing re-reads it from the database.

  // TODO: any web page on any origin can make a logged-in browser send state-changing requests here.

  const notes: { id: number; ownerId: string; text: string }[] = [];

  /** Lets only logged-in requests through. */
  const requireUser: express.RequestHandler = (req, _res, next) => {
    // TODO: a session lives as long as the browser keeps the cookie: no idle timeout, no absolute timeout.
    const user = (req.session as AppSession).user;
    if (!user) throw unauthenticated();
    req.user = user;
    next();
  };

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.post('/login', (req, res, next) => {
    passport.authenticate('local', { session: false }, (err: unknown, user: SessionUser | false) => {
      if (err) return next(err);
      if (!user) return next(unauthenticated('auth.invalid_credentials', 'The e-mail or the password is wrong.'));
      // TODO: the session id chosen before login stays valid after it (session fixation).
      User.findById(user.id)
        .then((full) => {
          (req.session as AppSession).user = full ? { ...full.toObject(), id: String(full._id) } : undefined;
          res.json({ user });
        })
        .catch(next);
    })(req, res, next);
  });

  app.post('/logout', (req, res) => {
    // TODO: the session stays in the store and the browser keeps its cookie.
    delete (req.session as AppSession).user;
    res.sendStatus(204);
  });

  app.get('/me', requireUser, (req, res) => {
    const { id, email } = req.user as SessionUser;
    res.json({ id: String(id), email });
  });

  app.post('/notes', requireUser, (req, res) => {
    const text: unknown = req.body?.text;
    if (typeof text !== 'string' || text === '') throw new AppError(400, 'validation.failed', 'A note needs a "text".', { details: { text: 'is required' } });
    const note = { id: notes.length + 1, ownerId: (req.user as SessionUser).id, text };
    notes.push(note);
    res.status(201).json(note);
  });

  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}
