/** Injected so specs can choose; the access token format is the jwt kata's. */
export interface AccessConfig {
  accessSecret: string;
  issuer: string;
  audience: string;
}

export const defaultConfig: AccessConfig = {
  accessSecret: process.env.KATA_JWT_SECRET ?? 'dev-only-secret-change-me-0123456789abcdef',
  issuer: 'https://auth.kata.local',
  audience: 'kata-api',
};
