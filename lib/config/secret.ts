/**
 * A signing secret from the environment. Outside production a missing variable
 * falls back to the development secret, so `npm test` needs no setup; in
 * production that secret is public (it sits in this repository), and anyone who
 * reads it can mint tokens or session cookies, so the app refuses to start.
 */
export class InsecureSecretError extends Error {
  readonly code = 'KATA_CONFIG_INSECURE_SECRET';
  constructor(variable: string) {
    super(
      `${variable} is not set (or holds the development secret) and NODE_ENV is "production": refusing to start with a secret anyone can read in the source. ` +
        `Set ${variable} to at least 32 random bytes, e.g. \`openssl rand -base64 32\`.`,
    );
    this.name = 'InsecureSecretError';
  }
}

export function secretFromEnv(variable: string, developmentSecret: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[variable];
  const secret = value === undefined || value === '' ? developmentSecret : value;
  if (env.NODE_ENV === 'production' && secret === developmentSecret) throw new InsecureSecretError(variable);
  return secret;
}
