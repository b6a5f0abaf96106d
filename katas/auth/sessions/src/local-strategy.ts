import bcrypt from 'bcrypt';
import { Strategy as LocalStrategy } from 'passport-local';
import { User } from './user.model';

/** What a logged-in request knows about its user. */
export interface SessionUser {
  id: string;
  email: string;
}

// Compared against when the e-mail is unknown, so both failures cost a bcrypt
// comparison (see the passwords kata). At the cost real accounts are hashed
// with: a cheaper dummy would answer faster and tell which e-mails exist.
// Made on first use, and made again if that failed.
const DUMMY_COST = 12;
let nobody: Promise<string> | undefined;
const hashOfNobody = () =>
  (nobody ??= bcrypt.hash('no such user', DUMMY_COST).catch((error: unknown) => {
    nobody = undefined;
    throw error;
  }));

/** Passport's local strategy: e-mail and password from the JSON body, checked with bcrypt. */
export const localStrategy = () =>
  new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
    User.findOne({ email: email.trim().toLowerCase() })
      .then(async (user) => {
        const ok = await bcrypt.compare(password, user?.passwordHash ?? (await hashOfNobody()));
        if (!user || !ok || user.disabled) return done(null, false);
        return done(null, { id: String(user._id), email: user.email } satisfies SessionUser);
      })
      .catch(done);
  });
