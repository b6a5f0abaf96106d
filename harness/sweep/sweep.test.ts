import { describe, expect, it } from '@jest/globals';
import express from 'express';
import { hostileRequests } from './hostile-requests';
import { judgeAnswer } from './judge';
import { discoverRoutes } from './routes';
import { runSweep } from './sweep';

describe('discoverRoutes()', () => {
  it('lists the routes of the app and of mounted routers, app.all as every method', () => {
    const app = express();
    const api = express.Router();
    api.get('/items/:id', (_req, res) => void res.end());
    app.use('/api', api);
    app.post('/login', (_req, res) => void res.end());
    app.all('/ping', (_req, res) => void res.end());

    expect(discoverRoutes(app).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/items/:id',
      'POST /login',
      'GET /ping',
      'POST /ping',
      'PUT /ping',
      'PATCH /ping',
      'DELETE /ping',
    ]);
  });
});

describe('hostileRequests()', () => {
  it('breaks each field of the valid body, and keeps 1e400 unparsed', () => {
    const requests = hostileRequests({ method: 'PATCH', path: '/products/:id' }, { params: { id: '42' }, body: { price: 3 } });
    const infinite = requests.find((r) => r.label === '"price": 1e400')!;

    expect(infinite.path).toBe('/products/42');
    expect(infinite.body?.toString()).toBe('{"price": 1e400}');
    expect(infinite.infinite).toBe(true);
    expect(requests.some((r) => r.path === '/products/%E0%A4%A')).toBe(true);
    expect(requests.some((r) => r.headers['content-encoding'] === 'br')).toBe(true);
  });
});

describe('judgeAnswer()', () => {
  const json = 'application/problem+json; charset=utf-8';

  it.each([
    [{ status: 500, contentType: json, body: '{}' }, /answered 500/],
    [{ status: 404, contentType: 'text/html', body: '<pre>Cannot GET</pre>' }, /non-JSON/],
    [{ status: 409, contentType: json, body: '{"detail":"E11000 duplicate key error collection: db.users"}' }, /duplicate-key/],
    [{ status: 400, contentType: json, body: '{"message":"email.trim is not a function"}' }, /runtime error/],
    [{ status: 400, contentType: json, body: '{"stack":"Error: x"}' }, /stack/],
  ])('names a bad answer: %j', (answer, finding) => {
    expect(judgeAnswer(answer)).toMatch(finding);
  });

  it('accepts a clean 4xx, and judges a 2xx only by what the request tried', () => {
    expect(judgeAnswer({ status: 400, contentType: json, body: '{"code":"validation.failed"}' })).toBeUndefined();
    expect(judgeAnswer({ status: 200, contentType: json, body: '{}' }, { loginRoute: true, injection: true })).toMatch(/operators/);
    expect(judgeAnswer({ status: 201, contentType: json, body: '{}' }, { infinite: true })).toMatch(/1e400/);
  });
});

describe('runSweep()', () => {
  it('finds the 500, the leak and the prototype pollution of a careless app, and nothing in a careful one', async () => {
    const careless = express();
    careless.use(express.json());
    careless.post('/things', (req, res) => {
      Object.assign(Object.prototype, JSON.parse(JSON.stringify(req.body.__proto__ ?? {})));
      res.status(201).json({ name: (req.body.name as string).trim() });
    });
    const careful = express();
    careful.get('/health', (_req, res) => void res.json({ ok: true }));
    careful.use((_req, res) => void res.status(404).json({ code: 'route.not_found' }));
    careful.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(400).json({ code: 'bad_request' }));

    const found = await runSweep('demo/careless', { app: careless, bodies: { 'POST /things': { name: 'a' } } });
    const clean = await runSweep('demo/careful', { app: careful });

    expect(found.findings.join('\n')).toMatch(/answered 500/);
    expect(found.findings.join('\n')).toMatch(/polluted Object\.prototype/);
    expect(found.findings.join('\n')).toMatch(/non-JSON/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(clean.findings).toEqual([]);
    expect(clean.requests).toBeGreaterThan(50);
  }, 60_000);
});
