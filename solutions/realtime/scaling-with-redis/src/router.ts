import http from 'node:http';

export interface RouterOptions {
  /** Keep each client on the node that served its first request. */
  sticky: boolean;
}

const cookieName = 'kata_node';

/** The node a `kata_node=<index>` cookie pins the client to, if it names one that exists. */
function pinnedNode(cookieHeader: string | undefined, nodes: number): number | undefined {
  const match = /(?:^|;\s*)kata_node=(\d{1,3})(?:;|$)/.exec(cookieHeader ?? '');
  const index = match ? Number(match[1]) : NaN;
  return Number.isInteger(index) && index < nodes ? index : undefined;
}

/**
 * A small HTTP load balancer in front of several nodes, round robin. With
 * `sticky`, the first answer sets a cookie naming the node, and every later
 * request that carries it goes to that node: Engine.IO's long polling is a
 * series of HTTP requests for one session (`?sid=…`) that only the node that
 * created the session knows, so without stickiness the second request lands
 * elsewhere and is refused with 400 "Session ID unknown". (WebSocket-only
 * clients need no stickiness: one TCP connection stays on one node.)
 */
export function createRouter(targets: string[], { sticky }: RouterOptions): http.RequestListener {
  let turn = 0;
  return (req, res) => {
    const pinned = sticky ? pinnedNode(req.headers.cookie, targets.length) : undefined;
    const index = pinned ?? turn++ % targets.length;
    const target = new URL(req.url ?? '/', targets[index]);
    const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      const headers = { ...answer.headers };
      if (sticky && pinned === undefined) {
        headers['set-cookie'] = [...(headers['set-cookie'] ?? []), `${cookieName}=${index}; Path=/; HttpOnly; SameSite=Lax`];
      }
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway');
    });
    req.pipe(upstream);
  };
}
