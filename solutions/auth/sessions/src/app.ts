import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { AppError, forbidden, notFoundHandler, problemHandler, requestId, unauthenticated, validationFailed, type ProblemOptions } from '../../../../lib/errors';
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

/** The fields this app keeps in a session: Passport's user id and our two timestamps. */
type AppSession = session.Session & { passport?: { user?: string }; createdAt?: number; lastSeenAt?: number };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A notes API behind a cookie session, with Passport's local strategy for login. */
export function createApp({ config = loadConfig(), clock = systemClock, store = new session.MemoryStore(), log }: AppDeps = {}): express.Express {
  const app = express();
  const passport = new Passport();
  passport.use(localStrategy());
  app.use(requestId());
  app.use(express.json({ limit: '10kb' }));

  // Behind a TLS-terminating proxy the app sees plain HTTP; trusting the
  // configured hops lets req.secure read X-Forwarded-Proto, and 'auto' then
  // marks the cookie Secure exactly when the browser is on HTTPS.
  app.set('trust proxy', config.trustProxy);
  // HttpOnly: page scripts (and XSS) cannot read the cookie. SameSite=Lax: it
  // is not sent on cross-site POSTs, the first line against CSRF.
  const cookie = { httpOnly: true, sameSite: 'lax', secure: 'auto', path: '/' } as const;
  app.use(session({ name: 'sid', secret: config.secret, store, resave: false, saveUninitialized: false, cookie }));
  app.use(passport.initialize());

  // Idle and absolute timeouts, checked against our clock before Passport reads
  // the session. An expired session is replaced by an empty one.
  app.use((req, res, next) => {
    // express-session leaves req.session unset for a request outside the
    // cookie's path (a request-target such as "*"): nothing to time out then.
    const data = req.session as AppSession | undefined;
    if (!data?.passport?.user) return next();
    const now = clock.now();
    const idle = now - (data.lastSeenAt ?? 0) > config.idleTimeoutMs;
    const tooOld = now - (data.createdAt ?? 0) > config.absoluteTimeoutMs;
    if (!idle && !tooOld) {
      data.lastSeenAt = now;
      return next();
    }
    res.locals.sessionExpired = true;
    req.session.regenerate(next);
  });
  // Passport's session strategy reads req.session unguarded: skip it when
  // express-session left none (see above).
  const restoreUser = passport.session();
  app.use((req, res, next) => (req.session ? restoreUser(req, res, next) : next()));

  // Only the id goes into the session; every request re-reads the user, so a
  // deleted or disabled account stops working at its next request. `false`
  // (not an error) tells Passport to drop the login instead of answering 500.
  passport.serializeUser<string>((user, done) => done(null, (user as SessionUser).id));
  passport.deserializeUser<string>((id, done) => {
    User.findById(id)
      .then((user) => done(null, user && !user.disabled ? ({ id: String(user._id), email: user.email } satisfies SessionUser) : false))
      .catch(done);
  });

  // CSRF defence in depth (OWASP): a browser names the page's origin on every
  // cross-origin request. SameSite covers most cases; this covers the rest
  // (older browsers, same-site subdomains, login CSRF where no cookie exists yet).
  app.use((req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin') ?? originOf(req.get('referer'));
    const crossSite = req.get('sec-fetch-site') === 'cross-site';
    if ((origin !== undefined && !config.allowedOrigins.includes(origin)) || (origin === undefined && crossSite)) {
      throw forbidden('csrf.foreign_origin', 'Requests from other sites may not change anything here.');
    }
    next();
  });

  const notes: { id: number; ownerId: string; text: string }[] = [];

  /** Lets only logged-in requests through. */
  const requireUser: express.RequestHandler = (req, res, next) => {
    if (!req.user) {
      throw res.locals.sessionExpired ? unauthenticated('session.expired', 'The session has expired: log in again.') : unauthenticated();
    }
    next();
  };

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.post('/login', (req, res, next) => {
    const { email, password } = (req.body ?? {}) as Record<string, unknown>;
    // passport-local falls back to the query string for a field the body lacks,
    // and credentials in a URL end up in access logs and browser history: a
    // login without both fields in the body is refused before passport sees it.
    if (email === undefined || password === undefined || email === '' || password === '') {
      return next(unauthenticated('auth.invalid_credentials', 'The e-mail or the password is wrong.'));
    }
    // A number or an object would reach String methods and bcrypt, which throw.
    if (typeof email !== 'string' || typeof password !== 'string') {
      return next(validationFailed({ ...(typeof email !== 'string' && { email: 'must be a string' }), ...(typeof password !== 'string' && { password: 'must be a string' }) }));
    }
    passport.authenticate('local', (err: unknown, user: SessionUser | false) => {
      if (err) return next(err);
      if (!user) return next(unauthenticated('auth.invalid_credentials', 'The e-mail or the password is wrong.'));
      // req.logIn regenerates the session (a new id) before storing the user
      // id: an id planted before login is worthless afterwards.
      req.logIn(user, (loginError) => {
        if (loginError) return next(loginError);
        const data = req.session as AppSession;
        data.createdAt = data.lastSeenAt = clock.now();
        res.json({ user });
      });
    })(req, res, next);
  });

  app.post('/logout', (req, res, next) => {
    req.logout((logoutError) => {
      if (logoutError) return next(logoutError);
      // Gone from the store, not just emptied; and the browser told to forget
      // the cookie (same path as it was set with, or it keeps it).
      req.session.destroy((destroyError) => {
        if (destroyError) return next(destroyError);
        res.clearCookie('sid', { httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, path: cookie.path });
        res.sendStatus(204);
      });
    });
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

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}
