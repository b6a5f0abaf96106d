import bcrypt from 'bcrypt';
import { Strategy as LocalStrategy } from 'passport-local';
import { User } from './user.model';

/** What a logged-in request knows about its user. */
export interface SessionUser {
  id: string;
  email: string;
}

// Compared against when the e-mail is unknown, so both failures cost a bcrypt
// comparison (see the passwords kata).
const nobody = bcrypt.hashSync('no such user', 4);

/** Passport's local strategy: e-mail and password from the JSON body, checked with bcrypt. */
export const localStrategy = () =>
  new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
    User.findOne({ email: email.trim().toLowerCase() })
      .then(async (user) => {
        const ok = await bcrypt.compare(password, user?.passwordHash ?? nobody);
        if (!user || !ok || user.disabled) return done(null, false);
        return done(null, { id: String(user._id), email: user.email } satisfies SessionUser);
      })
      .catch(done);
  });
