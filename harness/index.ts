/**
 * The one import for specs. Each verb registers its own Jest hooks when called
 * at the top of a spec file; nothing here is a hidden global.
 *
 *   import { useMongo, useRedis, startServer, factories, expectProblem } from '../../../harness';
 *   import { startSocketServer, connectClient, waitFor, expectNoEvent, openRawSocket } from '../../../harness';
 */
export { useMongo, type MongoHandle } from './db/use-mongo';
export { useRedis, RedisStateError, RedisSharedError, type RedisHandle } from './redis/use-redis';
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
export { forEachBrowser } from './browser/for-each-browser';
export { shareBrowsers } from './browser/share-browsers';
export { endpointVariable } from './browser/remote-browser';
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
export { startSocketServer, type RunningSocketServer, type SocketServerOptions } from './realtime/socket-server';
export { connectClient, ConnectError, type ClientSocket, type ConnectOptions } from './realtime/client';
export { waitFor, expectNoEvent, EventAssertionError, type Emitter, type NoEventOptions } from './realtime/events';
export {
  openRawSocket,
  RawSocket,
  Opcode,
  encodeFrame,
  decodeFrames,
  closePayload,
  websocketKey,
  acceptFor,
  type Frame,
  type FrameSpec,
  type HandshakeResponse,
  type RawSocketOptions,
  type CloseResult,
} from './realtime/raw-websocket';
export { startSocketCluster, type SocketClusterOptions, type AdapterFactory } from './realtime/socket-cluster';
export { closeWithScope, type Closeable } from './jest/close-with-scope';
export { CROWD_TEST_TIMEOUT_MS } from './jest/crowd-timeout';
export { useGrader, type Grader } from './grader/use-grader';
export { useStrykerGrader, type StrykerGrader } from './grader/use-stryker-grader';
