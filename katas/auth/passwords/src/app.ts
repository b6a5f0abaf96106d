import bcrypt from 'bcrypt';
import express from 'express';
import { AppError, notFoundHandler, problemHandler, requestId, unauthenticated, type ProblemOptions } from '../../../../lib/errors';
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
  // TODO: bcrypt reads only the first 72 bytes: two long passwords that share them are the same password.
  return password;
}

/** Sign-up and sign-in with e-mail and password. No `listen` here: whoever runs the app decides where. */
export function createApp({ config: _config = loadConfig(), hasher = bcrypt, log }: AppDeps = {}): express.Express {
  const app = express();
  app.use(requestId());
  app.use(express.json({ limit: '10kb' }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.post('/register', async (req, res) => {
    const { email, password } = (req.body ?? {}) as Record<string, unknown>;
    // TODO: composition rules and a 6-character minimum (not NIST SP 800-63B), and no per-field details.
    if (typeof email !== 'string' || typeof password !== 'string') {
      throw new AppError(400, 'validation.missing_fields', 'An e-mail and a password are required.');
    }
    if (password.length < 6 || !/[A-Z]/.test(password) || !/\d/.test(password)) {
      throw new AppError(400, 'validation.weak_password', 'A password needs 6 characters, an upper-case letter and a digit.');
    }

    // TODO: check-then-insert: two requests racing both see "no such user".
    if (await User.exists({ email })) throw new AppError(400, 'user.email_taken', 'That e-mail is already registered.');

    // TODO: the cost is hard-coded; the configured one (`_config`, unused so far) never reaches bcrypt.
    const passwordHash = await hasher.hash(bcryptInput(password), 10);
    const user = await User.create({ email, passwordHash });
    res.status(201).json(user);
  });

  app.post('/login', async (req, res) => {
    const { email, password } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string') {
      throw new AppError(400, 'validation.missing_fields', 'An e-mail and a password are required.');
    }

    const user = await User.findOne({ email });
    // TODO: the answer (and how long it takes) tells anyone which e-mails have an account, and a hash keeps its old cost forever.
    if (!user) throw unauthenticated('auth.unknown_email', 'No account uses that e-mail.');
    if (!(await hasher.compare(bcryptInput(password), user.passwordHash))) {
      throw unauthenticated('auth.wrong_password', 'The password is wrong.');
    }
    res.json({ user });
  });

  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}
