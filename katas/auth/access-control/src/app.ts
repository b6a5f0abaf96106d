import express from 'express';
import { notFoundHandler, problemHandler, requestId, type ProblemOptions } from '../../../../lib/errors';
import { authenticate } from './authenticate';
import { authorize } from './authorize';
import { loadConfig, type AccessConfig } from './config';
import { routes, type RouteDef } from './routes';

export interface AppDeps {
  config?: AccessConfig;
  /** More routes, registered exactly like the built-in ones (specs use it to prove deny-by-default). */
  extraRoutes?: RouteDef[];
  log?: ProblemOptions['log'];
}

/** An articles API with four roles. Every route goes through the same gate. */
export function createApp({ config = loadConfig(), extraRoutes = [], log }: AppDeps = {}): express.Express {
  const app = express();
  app.use(requestId());
  app.use(express.json({ limit: '10kb' }));
  app.use(authenticate(config));

  for (const route of [...routes, ...extraRoutes]) {
    app[route.method](route.path, authorize(route.roles), route.handler);
  }

  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}
