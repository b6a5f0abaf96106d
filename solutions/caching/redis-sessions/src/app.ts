import express from 'express';
import type Redis from 'ioredis';
import { notFoundHandler, problemHandler, requestId, unauthenticated, validationFailed, type ProblemOptions } from '../../../../lib/errors';
import { sessions, sessionStep, storeUnavailable, type SessionConfig } from './session';
import { userSessions } from './user-sessions';
import type { UserDirectory } from './users';

export interface AppDeps {
  /** The Redis client sessions live in. */
  redis: Redis;
  users: UserDirectory;
  config: { session: SessionConfig };
  log?: ProblemOptions['log'];
}

/** Sign-in with server-side sessions: login, who am I, logout, logout everywhere. */
export function createApp({ redis, users, config, log }: AppDeps): express.Express {
  const app = express();
  const devices = userSessions(redis, { maxAgeMs: config.session.maxAgeMs });
  app.use(requestId());
  app.use(express.json({ limit: '10kb' }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.use(sessions(redis, config.session));
  // express-session pushes a signed-in session's TTL forward on every request;
  // the user's index of sessions moves with it, or the index expires first and
  // "log out everywhere" misses a session that stayed active.
  app.use(async (req, _res, next) => {
    if (req.session.userId) {
      try {
        await devices.touch(req.session.userId);
      } catch (error) {
        throw storeUnavailable(error);
      }
    }
    next();
  });

  app.post('/login', async (req, res) => {
    const { email, password } = (req.body ?? {}) as { email?: unknown; password?: unknown };
    if (typeof email !== 'string' || typeof password !== 'string') {
      throw validationFailed({ ...(typeof email !== 'string' && { email: 'is required' }), ...(typeof password !== 'string' && { password: 'is required' }) });
    }
    const user = await users.verify(email, password);
    if (!user) throw unauthenticated('auth.invalid_credentials', 'The email or the password is wrong.');
    // A new id at login: an id planted before login (session fixation) is worthless after it.
    await sessionStep((done) => req.session.regenerate(done));
    req.session.userId = user.id;
    await sessionStep((done) => req.session.save(done));
    await devices.add(user.id, req.sessionID);
    res.json({ user });
  });

  app.get('/me', (req, res) => {
    if (!req.session.userId) throw unauthenticated('auth.unauthenticated', 'Sign in first.');
    res.json({ userId: req.session.userId });
  });

  app.post('/logout', async (req, res) => {
    const { userId } = req.session;
    const sessionId = req.sessionID;
    await sessionStep((done) => req.session.destroy(done));
    if (userId) await devices.remove(userId, sessionId);
    res.clearCookie('sid').status(204).end();
  });

  app.post('/logout-everywhere', async (req, res) => {
    const { userId } = req.session;
    if (!userId) throw unauthenticated('auth.unauthenticated', 'Sign in first.');
    // Every session of the user, this one included, so `ended` counts them all.
    const ended = await devices.destroyAll(userId);
    await sessionStep((done) => req.session.destroy(done));
    res.clearCookie('sid').json({ ended });
  });

  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}
