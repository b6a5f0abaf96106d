/** How the app reaches its OpenID provider (Google in production, the harness's provider in specs). */
export interface OidcConfig {
  /** `https://accounts.google.com` for Google. Discovery lives at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back; registered with the provider, exactly. */
  redirectUri: string;
  /** Plain-HTTP provider (local development and the specs only). Never in production. */
  allowInsecureRequests?: boolean;
}

export interface AppConfig {
  oidc: OidcConfig;
  /** Signs the session cookie. */
  sessionSecret: string;
}
