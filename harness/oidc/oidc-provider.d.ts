/**
 * The small part of oidc-provider 9's API that provider-process.ts uses. The
 * package ships no types, and @types/oidc-provider trails its major versions.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface KoaContext {
    path: string;
    type: string;
    body: unknown;
  }

  interface Account {
    accountId: string;
    claims(): Record<string, unknown> | Promise<Record<string, unknown>>;
  }

  interface Configuration {
    jwks?: { keys: object[] };
    cookies?: { keys: string[] };
    features?: Record<string, { enabled: boolean }>;
    scopes?: string[];
    claims?: Record<string, string[]>;
    conformIdTokenClaims?: boolean;
    responseTypes?: string[];
    findAccount?: (ctx: KoaContext, id: string) => Account | undefined | Promise<Account | undefined>;
    ttl?: Record<string, number>;
    renderError?: (ctx: KoaContext, out: Record<string, unknown>, error: Error) => void | Promise<void>;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  }
}
