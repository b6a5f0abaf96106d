import { Router } from 'express';
import { AppError, notFound, validationFailed } from '../../../../lib/errors';
import { authenticatedUserId, hashPassword, issueToken, passwordMatches, type AuthConfig } from './auth';
import { User, type UserRecord } from './models';

/** What a client sees of an account: never the password hash. */
export interface UserBody {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export function toUserBody(user: UserRecord): UserBody {
  return { id: user._id.toHexString(), email: user.email, name: user.name, createdAt: user.createdAt.toISOString() };
}

/** Registration, sign-in and the caller's own account. */
export function usersRouter(config: AuthConfig): Router {
  const router = Router();

  router.post('/users', async (req, res) => {
    const { email, name, password } = objectBody(req.body);
    // The schema never sees the password, only its hash: its rules are checked here.
    if (typeof password !== 'string' || password.length < 8 || Buffer.byteLength(password) > 72) {
      throw validationFailed({ password: 'must be at least 8 characters and at most 72 bytes long.' });
    }
    const user = new User({ email, name });
    // Invalid fields become a 400 in the problem handler, before any hashing work is spent.
    await user.validate(['email', 'name']);
    user.passwordHash = await hashPassword(password, config);
    // A taken email is refused by the unique index (11000 → 409 in the problem handler).
    await user.save();
    res.status(201).location(`/users/${user.id as string}`).json(toUserBody(user.toObject()));
  });

  router.post('/sessions', async (req, res) => {
    const { email, password } = objectBody(req.body);
    if (typeof email !== 'string' || typeof password !== 'string') {
      throw validationFailed({ ...(typeof email === 'string' ? {} : { email: 'is required.' }), ...(typeof password === 'string' ? {} : { password: 'is required.' }) });
    }
    const user = await User.findOne({ email: email.trim().toLowerCase() }).lean<UserRecord>();
    // One answer for an unknown email and a wrong password: telling them apart
    // would let anyone find out who has an account.
    if (!(await passwordMatches(password, user?.passwordHash))) {
      throw new AppError(401, 'auth.invalid_credentials', 'The email or the password is wrong.');
    }
    res.json({ token: issueToken(user!._id.toHexString(), config), tokenType: 'Bearer', expiresIn: config.tokenTtlSeconds });
  });

  router.get('/users/me', async (req, res) => {
    const userId = authenticatedUserId(req, config);
    const user = await User.findById(userId).lean<UserRecord>();
    if (!user) throw notFound(`User ${userId}`);
    res.json(toUserBody(user));
  });

  return router;
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validationFailed({ body: 'must be a JSON object.' });
  return body as Record<string, unknown>;
}
