/**
 * The routes an Express 5 app answers, read from its router (router 2.x keeps
 * each layer's `rawPath`): `app.get('/products/:id')`, `app.all(...)`, and the
 * routes of routers mounted with `app.use('/api', router)`.
 */
import { METHODS } from 'node:http';

export interface Route {
  method: string;
  /** As declared, with `:params` (`/products/:id`). */
  path: string;
}

interface LayerLike {
  rawPath?: unknown;
  slash?: boolean;
  route?: { path?: unknown; methods?: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

const allMethods = ['get', 'post', 'put', 'patch', 'delete'];

/** Takes any Express app (typed loosely: the router's layers are not part of Express's public types). */
export function discoverRoutes(app: object): Route[] {
  const routes: Route[] = [];
  walk((app as { router?: { stack?: LayerLike[] } }).router?.stack ?? [], '', routes);
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function walk(stack: LayerLike[], prefix: string, routes: Route[]): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const path of pathsOf(layer.route.path)) {
        const methods = Object.keys(layer.route.methods ?? {}).filter((m) => layer.route!.methods![m]);
        // app.all() registers every method Node knows (Express 4 wrote `_all`): sweep the five an API uses.
        const everyMethod = methods.includes('_all') || methods.length >= METHODS.length;
        for (const method of everyMethod ? allMethods : methods) routes.push({ method: method.toUpperCase(), path: join(prefix, path) });
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      // A mounted router: its routes live under the mount path.
      const mounts = layer.slash ? [''] : pathsOf(layer.rawPath);
      for (const mount of mounts) walk(layer.handle.stack, join(prefix, mount), routes);
    }
  }
}

/** String paths only: a RegExp route has no path a sweep can fill in. */
function pathsOf(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw.flat(Infinity) : [raw];
  return list.filter((p): p is string => typeof p === 'string');
}

function join(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
  return joined === '/' ? '/' : joined.replace(/\/$/, '') || '/';
}
