import express from 'express';
import session from 'express-session';
import * as client from 'openid-client';
import { AppError, notFoundHandler, problemHandler, requestId, unauthenticated, type ProblemOptions } from '../../../../lib/errors';
import type { AppConfig } from './config';
import { User } from './user.model';

export interface AppDeps {
  config: AppConfig;
  store?: session.Store;
  log?: ProblemOptions['log'];
}

/** The claims this app reads from Google's ID token. */
interface IdTokenClaims {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** One login in progress: what the callback must find again. */
interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

type AppSession = session.Session & { userId?: string; oidc?: PendingLogin };

const stateMismatch = () =>
  new AppError(400, 'oauth.state_mismatch', 'This sign-in answer does not belong to a sign-in started in this browser. Start again.');

/** "Sign in with Google": the authorization code flow, and a cookie session afterwards. */
export function createApp({ config, store = new session.MemoryStore(), log }: AppDeps): express.Express {
  const { oidc } = config;
  const app = express();
  app.use(requestId());
  // SameSite=Lax: the browser comes back from the provider with a top-level
  // GET, which Lax allows (Strict would drop the cookie and every login).
  app.use(session({ name: 'sid', secret: config.sessionSecret, store, resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto' } }));

  // openid-client (certified by the OpenID Foundation) does discovery, PKCE,
  // and validates the ID token's iss, aud, exp, iat and nonce. Discovery runs
  // once, on first use, so creating the app needs no network.
  let configuration: Promise<client.Configuration> | undefined;
  const discover = () =>
    (configuration ??= client
      .discovery(new URL(oidc.issuer), oidc.clientId, oidc.clientSecret, undefined, {
        execute: [
          ...(oidc.allowInsecureRequests ? [client.allowInsecureRequests] : []),
          // Also verify the ID token's signature against the provider's JWKS.
          // The spec lets a client skip it when the token came straight from
          // the token endpoint over TLS; we do not rely on that.
          client.enableNonRepudiationChecks,
        ],
      })
      .catch((error: unknown) => {
        configuration = undefined; // try again on the next request
        throw error;
      }));

  /** Finds or creates the local account for the person the provider vouched for. */
  async function accountFor(claims: IdTokenClaims) {
    // Who they are is `sub`: a returning user is found by it, even after
    // changing their e-mail at Google.
    const known = await User.findOne({ googleSub: claims.sub });
    if (known) return known;
    if (typeof claims.email !== 'string') throw new AppError(401, 'oauth.login_failed', 'The provider did not share an e-mail address.');

    const sameEmail = await User.findOne({ email: claims.email.toLowerCase() });
    if (sameEmail) {
      // Linking hands over an existing account. Only an address the provider
      // has verified proves the person owns it; otherwise anyone could create
      // a provider account with the victim's address and walk in.
      if (claims.email_verified !== true) {
        throw new AppError(409, 'oauth.email_unverified', 'An account uses this e-mail, and the provider has not verified that it is yours. Log in with your password first.');
      }
      // Already linked to another Google account: the address was recycled (or
      // moved), and the person behind this sub is not the one who linked it.
      if (sameEmail.googleSub && sameEmail.googleSub !== claims.sub) {
        throw new AppError(409, 'oauth.account_linked', 'The account with this e-mail is linked to another Google account. Log in with your password first.');
      }
      sameEmail.googleSub = claims.sub;
      return sameEmail.save();
    }
    // A new account only from a verified address: one made from an unverified
    // address would be waiting for its real owner, with the attacker's Google
    // account already linked (pre-account hijacking).
    if (claims.email_verified !== true) {
      throw new AppError(403, 'oauth.email_unverified', 'The provider has not verified this e-mail address. Verify it there, then sign in again.');
    }
    return User.create({ email: claims.email, name: claims.name ?? '', googleSub: claims.sub });
  }

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/auth/google', async (req, res, next) => {
    const configured = await discover();
    // state: ties the answer to this browser (login CSRF). nonce: ties the ID
    // token to this login (replay). PKCE: ties the code to this client
    // instance, so a stolen code is useless (RFC 7636, RFC 9700 §2.1.1).
    const pending: PendingLogin = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    (req.session as AppSession).oidc = pending;
    const url = client.buildAuthorizationUrl(configured, {
      redirect_uri: oidc.redirectUri,
      scope: 'openid email profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    // Saved before the browser leaves: the callback must find it.
    req.session.save((err) => (err ? next(err) : res.redirect(url.href)));
  });

  app.get('/auth/google/callback', async (req, res, next) => {
    const data = req.session as AppSession;
    const pending = data.oidc;
    // One use only: a replayed answer finds nothing pending.
    delete data.oidc;
    if (!pending || req.query.state !== pending.state) throw stateMismatch();

    const configured = await discover();
    let claims: IdTokenClaims;
    try {
      const tokens = await client.authorizationCodeGrant(configured, new URL(req.originalUrl, oidc.redirectUri), {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims() as IdTokenClaims;
    } catch (error) {
      // A refused code (replayed, expired), an error answer from the provider,
      // or an ID token that fails validation: the login failed, the server did not.
      throw new AppError(401, 'oauth.login_failed', 'The sign-in could not be completed. Start again.', { cause: error });
    }
    const user = await accountFor(claims);

    // A new session id for the logged-in user (see auth/sessions).
    req.session.regenerate((err) => {
      if (err) return next(err);
      (req.session as AppSession).userId = String(user._id);
      res.redirect('/me');
    });
  });

  app.get('/me', async (req, res) => {
    const userId = (req.session as AppSession).userId;
    const user = userId ? await User.findById(userId) : null;
    if (!user) throw unauthenticated();
    res.json(user);
  });

  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}
