import type { Response } from 'supertest';
import type { Clock, JwtConfig } from './src/config';
import { createUserDirectory } from './src/users';

/** What the specs configure; the app must honour every field. */
export const config: JwtConfig = {
  accessSecret: 'jwt-kata-spec-secret-0123456789abcdef0123',
  issuer: 'https://auth.kata.test',
  audience: 'kata-api',
  accessTtlSeconds: 15 * 60,
  refreshTtlSeconds: 7 * 24 * 60 * 60,
  clockToleranceSeconds: 5,
};

export const ada = { email: 'ada@example.com', password: 'correct horse battery staple' };

export const users = () => createUserDirectory([ada]);

/**
 * A clock the spec moves by hand. It starts in 2021, so an app that reads the
 * wall clock instead of the injected one sees every token as long expired.
 */
export function manualClock(start = Date.parse('2021-06-01T12:00:00Z')): Clock & { advance(ms: number): void; seconds(): number } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    seconds: () => Math.floor(now / 1000),
  };
}

export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

/** The Set-Cookie header for `name`, parsed (attribute names lower-cased). */
export function setCookie(res: Response, name: string): SetCookie | undefined {
  const raw = res.headers['set-cookie'] as unknown;
  const lines = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  for (const line of lines) {
    const [pair = '', ...parts] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) !== name) continue;
    const attributes: Record<string, string | true> = {};
    for (const part of parts) {
      const at = part.indexOf('=');
      if (at === -1) attributes[part.toLowerCase()] = true;
      else attributes[part.slice(0, at).toLowerCase()] = part.slice(at + 1);
    }
    return { name, value: decodeURIComponent(pair.slice(eq + 1)), attributes };
  }
  return undefined;
}
