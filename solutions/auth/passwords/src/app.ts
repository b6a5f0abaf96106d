import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';
import express from 'express';
import { AppError, notFoundHandler, problemHandler, requestId, unauthenticated, validationFailed, type ProblemOptions } from '../../../../lib/errors';
import { loadConfig, type AuthConfig } from './config';
import { User } from './user.model';

/** What the app needs from bcrypt. The real module fits; specs pass a recording wrapper around it. */
export interface PasswordHasher {
  hash(data: string, cost: number): Promise<string>;
  compare(data: string, hash: string): Promise<boolean>;
  getRounds(hash: string): number;
}

export interface AppDeps {
  config?: AuthConfig;
  hasher?: PasswordHasher;
  /** Where unexpected errors are reported (see lib/errors). */
  log?: ProblemOptions['log'];
}

/** What bcrypt is given for a password. */
function bcryptInput(password: string): string {
  // bcrypt ignores everything after byte 72, and "ü" is 2 bytes in UTF-8, so
  // 36 umlauts already fill it. Pre-hashing gives bcrypt a fixed 44-byte input
  // that depends on every byte; base64 keeps that input plain ASCII text.
  return createHash('sha256').update(password, 'utf8').digest('base64');
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** NIST SP 800-63B §3.1.1.2: a length floor, room for passphrases, no composition rules. */
function validateRegistration(email: unknown, password: unknown): { email: string; password: string } {
  const details: Record<string, string> = {};
  if (typeof email !== 'string' || !EMAIL.test(email.trim())) details.email = 'must be an e-mail address';
  // Length in characters (code points), not UTF-16 units or bytes.
  const length = typeof password === 'string' ? [...password].length : 0;
  if (typeof password !== 'string' || length < 8) details.password = 'must be at least 8 characters';
  else if (length > 256) details.password = 'must be at most 256 characters';
  if (Object.keys(details).length > 0) throw validationFailed(details);
  return { email: normaliseEmail(email as string), password: password as string };
}

/** Sign-up and sign-in with e-mail and password. No `listen` here: whoever runs the app decides where. */
export function createApp({ config = loadConfig(), hasher = bcrypt, log }: AppDeps = {}): express.Express {
  const app = express();
  app.use(requestId());
  app.use(express.json({ limit: '10kb' }));

  // A hash to compare against when the e-mail is unknown, made once at the
  // configured cost so that both failures take as long as each other.
  // A failed attempt is forgotten, or one hiccup would fail every later login.
  let dummyHash: Promise<string> | undefined;
  const hashOfNobody = () =>
    (dummyHash ??= hasher.hash(bcryptInput('no such user, no such password'), config.bcryptCost).catch((error: unknown) => {
      dummyHash = undefined;
      throw error;
    }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.post('/register', async (req, res) => {
    const { email, password } = validateRegistration(req.body?.email, req.body?.password);

    // No pre-check: the unique index answers a duplicate with E11000, which the
    // shared problem handler turns into 409 resource.conflict naming the field.
    const passwordHash = await hasher.hash(bcryptInput(password), config.bcryptCost);
    const user = await User.create({ email, passwordHash });
    res.status(201).json(user);
  });

  app.post('/login', async (req, res) => {
    const { email, password } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string') {
      throw new AppError(400, 'validation.missing_fields', 'An e-mail and a password are required.');
    }

    // One answer for both failures, and a bcrypt comparison in both, so
    // neither the body nor the response time says whether the account exists.
    const user = await User.findOne({ email: normaliseEmail(email) });
    const matches = await hasher.compare(bcryptInput(password), user?.passwordHash ?? (await hashOfNobody()));
    if (!user || !matches) throw unauthenticated('auth.invalid_credentials', 'The e-mail or the password is wrong.');

    // The only moment the plain password is at hand: upgrade an old, cheaper hash.
    if (hasher.getRounds(user.passwordHash) < config.bcryptCost) {
      user.passwordHash = await hasher.hash(bcryptInput(password), config.bcryptCost);
      await user.save();
    }
    res.json({ user });
  });

  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}
