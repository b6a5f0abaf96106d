/**
 * Production error handling for phases 2–5: the finished form of what
 * `katas/errors/global-handler` teaches (RFC 9457 problem details with a
 * `code`). Later katas import it so that a learner sees the phases build on
 * each other instead of re-solving phase 1 in every kata.
 *
 *   app.use(requestId());
 *   ...routes...
 *   app.use(notFoundHandler());
 *   app.use(problemHandler({ env: 'production' }));
 */
export * from './app-error';
export { notFoundHandler, problemHandler, requestId, type Problem, type ProblemOptions } from './problem';
export { fromLibraryError } from './library-errors';
