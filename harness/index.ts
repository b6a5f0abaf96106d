/**
 * The one import for specs. Each verb registers its own Jest hooks when called
 * at the top of a spec file; nothing here is a hidden global.
 *
 *   import { useMongo, useRedis, startServer, factories, expectProblem } from '../../../harness';
 */
export { useMongo, type MongoHandle } from './db/use-mongo';
export { useRedis, RedisStateError, type RedisHandle } from './redis/use-redis';
export { startServer, type RunningServer } from './http/start-server';
export {
  useOidcProvider,
  OidcProviderStateError,
  type OidcProviderHandle,
  type ProviderAccount,
  type RegisteredClient,
  type TamperKind,
} from './oidc/use-oidc-provider';
export { listen } from './http/listen';
export { useBrowser, type BrowserHandle } from './browser/use-browser';
export { browserEngines, checkEngine, BrowserMissingError, type BrowserEngine } from './browser/engines';
export type { KataPage, Role, TextMatch } from './browser/kata-page';
export { factories, buildUser, buildProduct, buildMessage, defineFactory, reseedFactories } from './data/factories';
export {
  expectProblem,
  expectProblemDetails,
  expectStillServing,
  ProblemAssertionError,
  type ResponseLike,
  type ErrorBody,
} from './http/problem';
export { useGrader, type Grader } from './grader/use-grader';
