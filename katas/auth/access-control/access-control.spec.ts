/*
 * Wrong solutions these specs catch:
 * - role names checked inside handlers (`if (user.role !== 'admin')`) instead of
 *   permissions declared on the route: the router walk finds undeclared routes;
 * - allow by default: a route added without a permission is open (the specs add one);
 * - 401 for "logged in but not allowed" (or 403 for "not logged in");
 * - a forged or expired token treated as anonymous instead of 401;
 * - no role hierarchy: an admin cannot do what an editor can;
 * - no ownership rule (any author edits any article), or one that forgets that an
 *   editor may edit any article and an admin delete any;
 * - PATCH /me copying the body into the user: { "role": "admin" } escalates;
 * - the write before the ownership check (findByIdAndDelete, then 403: gone anyway),
 *   or the role for the check taken from the body;
 * - the caller cached per token: a role change waits for the token to expire;
 * - a token for another algorithm or audience, or for a deleted user, served as
 *   a guest or accepted.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { useMongo, expectProblem } from '../../../harness';
import { createApp } from './src/app';
import type { AccessConfig } from './src/config';
import { Article, User } from './src/models';
import { can, permissionsOf, ROLE_NAMES, type Role } from './src/permissions';

useMongo();

beforeAll(async () => {
  await User.init();
});

const config: AccessConfig = { accessSecret: 'access-control-spec-secret-0123456789', issuer: 'https://auth.kata.test', audience: 'kata-api' };
const quiet = { config, log: () => {} };

const tokenFor = (userId: string, secret = config.accessSecret) =>
  jwt.sign({ sub: userId }, secret, { algorithm: 'HS256', issuer: config.issuer, audience: config.audience, expiresIn: 300 });

/** One user per role, plus a second author; one article by `author` (own) and one by `otherAuthor` (others). */
async function world() {
  const [viewer, author, otherAuthor, editor, admin] = await User.create(
    (['viewer', 'author', 'author', 'editor', 'admin'] as const).map((role, i) => ({ email: `${role}${i}@example.com`, name: `${role} ${i}`, role })),
  );
  if (!viewer || !author || !otherAuthor || !editor || !admin) throw new Error('fixture users were not created');
  const own = await Article.create({ title: 'By the author', authorId: String(author._id) });
  const others = await Article.create({ title: 'By someone else', authorId: String(otherAuthor._id) });
  const authorization: Record<Caller, string | undefined> = {
    anonymous: undefined,
    badToken: `Bearer ${tokenFor(String(admin._id), 'an-attackers-secret-0123456789abcdef')}`,
    viewer: `Bearer ${tokenFor(String(viewer._id))}`,
    author: `Bearer ${tokenFor(String(author._id))}`,
    editor: `Bearer ${tokenFor(String(editor._id))}`,
    admin: `Bearer ${tokenFor(String(admin._id))}`,
  };
  return { ids: { own: String(own._id), others: String(others._id), viewer: String(viewer._id), admin: String(admin._id) }, authorization };
}

type Caller = 'anonymous' | 'badToken' | Role;
type Ids = Awaited<ReturnType<typeof world>>['ids'];

/**
 * The route matrix: what each caller gets. Rows run in this order for each caller
 * (deletions and the role change last, so they do not affect the rows before).
 */
const matrix: { request: string; body?: object; want: Record<Caller, number> }[] = [
  { request: 'GET /articles', want: { anonymous: 401, badToken: 401, viewer: 200, author: 200, editor: 200, admin: 200 } },
  { request: 'POST /articles', body: { title: 'New' }, want: { anonymous: 401, badToken: 401, viewer: 403, author: 201, editor: 201, admin: 201 } },
  { request: 'PATCH /articles/:own', body: { title: 'Edited' }, want: { anonymous: 401, badToken: 401, viewer: 403, author: 200, editor: 200, admin: 200 } },
  { request: 'PATCH /articles/:others', body: { title: 'Edited' }, want: { anonymous: 401, badToken: 401, viewer: 403, author: 403, editor: 200, admin: 200 } },
  { request: 'GET /users', want: { anonymous: 401, badToken: 401, viewer: 403, author: 403, editor: 403, admin: 200 } },
  { request: 'GET /me', want: { anonymous: 401, badToken: 401, viewer: 200, author: 200, editor: 200, admin: 200 } },
  { request: 'PATCH /me', body: { name: 'Renamed' }, want: { anonymous: 401, badToken: 401, viewer: 200, author: 200, editor: 200, admin: 200 } },
  { request: 'DELETE /articles/:others', want: { anonymous: 401, badToken: 401, viewer: 403, author: 403, editor: 403, admin: 204 } },
  { request: 'DELETE /articles/:own', want: { anonymous: 401, badToken: 401, viewer: 403, author: 204, editor: 403, admin: 204 } },
  { request: 'PATCH /users/:viewer/role', body: { role: 'author' }, want: { anonymous: 401, badToken: 401, viewer: 403, author: 403, editor: 403, admin: 200 } },
];

function send(app: ReturnType<typeof createApp>, line: string, ids: Ids, authorization: string | undefined, body?: object) {
  const [method = '', template = ''] = line.split(' ');
  const path = template.replace(/:(own|others|viewer)\b/, (_m, key: keyof Ids) => ids[key]);
  let req = request(app)[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](path);
  if (authorization) req = req.set('Authorization', authorization);
  return body ? req.send(body) : req;
}

/** Walks the matrix for one caller and lists every cell that differs. */
async function matrixMismatches(caller: Caller): Promise<string[]> {
  const app = createApp(quiet);
  const { ids, authorization } = await world();
  const mismatches: string[] = [];

  for (const row of matrix) {
    const res = await send(app, row.request, ids, authorization[caller], row.body);
    if (res.status !== row.want[caller]) mismatches.push(`${row.request}: got ${res.status}, want ${row.want[caller]} (${res.body?.code ?? ''})`);
  }
  return mismatches;
}

describe('1. A role hierarchy', () => {
  describe('roles and permissions', () => {
    it('maps roles to permissions through a hierarchy: each role has everything the role below it has', () => {
      const ladder = [...ROLE_NAMES];

      const missing = ladder.slice(1).flatMap((role, i) => [...permissionsOf(ladder[i] as Role)].filter((p) => !permissionsOf(role).has(p)).map((p) => `${role} lacks ${p}`));

      expect(missing).toEqual([]);
      expect(can('admin', 'article:update:any')).toBe(true);
      expect(can('editor', 'article:create')).toBe(true);
      expect(can('viewer', 'article:create')).toBe(false);
    });
  });
});

describe('2. 401 for who-are-you, 403 for not-allowed', () => {
  describe('the route matrix', () => {
    it.each(['anonymous', 'badToken'] as const)('answers %s with 401 on every route, cell by cell', async (caller) => {
      expect(await matrixMismatches(caller)).toEqual([]);
    });

    it('tells the three failures apart by code: unauthenticated, auth.token_invalid, forbidden', async () => {
      const app = createApp(quiet);
      const { ids, authorization } = await world();

      const anonymous = await send(app, 'GET /users', ids, undefined);
      const forged = await send(app, 'GET /users', ids, authorization.badToken);
      const viewer = await send(app, 'GET /users', ids, authorization.viewer);

      expectProblem(anonymous, 401, 'auth.unauthenticated');
      expectProblem(forged, 401, 'auth.token_invalid');
      expectProblem(viewer, 403, 'auth.forbidden');
    });

    it('answers 401 auth.token_invalid for a token of another algorithm, for another audience, or naming a deleted user', async () => {
      const app = createApp(quiet);
      const { ids } = await world();
      const sign = (options: jwt.SignOptions, sub = ids.admin) => `Bearer ${jwt.sign({ sub }, config.accessSecret, { issuer: config.issuer, audience: config.audience, expiresIn: 300, ...options })}`;
      const deleted = await User.create({ email: 'gone@example.com', name: 'Gone', role: 'admin' });
      await deleted.deleteOne();

      const answers = await Promise.all(
        [sign({ algorithm: 'HS384' }), sign({ algorithm: 'HS256', audience: 'billing-api' }), sign({ algorithm: 'HS256' }, String(deleted._id))].map((authorization) =>
          send(app, 'GET /users', ids, authorization),
        ),
      );

      for (const res of answers) expectProblem(res, 401, 'auth.token_invalid');
    });
  });
});

describe('3. Deny by default', () => {
  describe('deny by default', () => {
    it('refuses a route that declares no permission, even to an admin', async () => {
      const app = createApp({
        ...quiet,
        extraRoutes: [{ method: 'get', path: '/undeclared', handler: (_req, res) => void res.json({ secret: 42 }) }],
      });
      const { authorization } = await world();

      const admin = await request(app).get('/undeclared').set('Authorization', String(authorization.admin));
      const anonymous = await request(app).get('/undeclared');

      expectProblem(admin, 403, 'auth.forbidden');
      expectProblem(anonymous, 401, 'auth.unauthenticated');
    });

    it('finds a declared permission on every route the app registers', () => {
      const app = createApp(quiet);
      type Layer = { route?: { path: string; methods: Record<string, boolean>; stack: { handle: { permission?: unknown } }[] } };
      const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;

      const routes = stack.flatMap((layer) => (layer.route ? [layer.route] : []));
      const undeclared = routes
        .filter((route) => !route.stack.some((entry) => typeof entry.handle.permission === 'string'))
        .map((route) => `${Object.keys(route.methods).join(',').toUpperCase()} ${route.path}`);

      expect(routes.length).toBeGreaterThanOrEqual(9);
      expect(undeclared).toEqual([]);
    });
  });
});

describe('4. Ownership', () => {
  describe('the route matrix', () => {
    it.each(['viewer', 'author', 'editor', 'admin'] as const)('answers %s with 403 (not allowed) or 2xx, cell by cell', async (caller) => {
      expect(await matrixMismatches(caller)).toEqual([]);
    });

    it('leaves another author\'s article as it was when the update or the delete is refused, whatever role the body names', async () => {
      const app = createApp(quiet);
      const { ids, authorization } = await world();

      const update = await send(app, 'PATCH /articles/:others', ids, authorization.author, { title: 'Defaced', role: 'admin' });
      const remove = await send(app, 'DELETE /articles/:others', ids, authorization.author, { role: 'admin' });

      expectProblem(update, 403, 'auth.forbidden');
      expectProblem(remove, 403, 'auth.forbidden');
      expect((await Article.findById(ids.others))?.title).toBe('By someone else');
    });

    it('applies a role change to the next request made with the same token', async () => {
      const app = createApp(quiet);
      const { ids, authorization } = await world();
      const before = await send(app, 'DELETE /articles/:own', ids, authorization.viewer);

      await send(app, 'PATCH /users/:viewer/role', ids, authorization.admin, { role: 'author' }).expect(200);
      const created = await send(app, 'POST /articles', ids, authorization.viewer, { title: 'Promoted' });
      const removed = await request(app).delete(`/articles/${String(created.body.id)}`).set('Authorization', String(authorization.viewer));

      expectProblem(before, 403, 'auth.forbidden');
      expect(created.status).toBe(201);
      expect(removed.status).toBe(204);
    });
  });
});

describe('5. No mass assignment', () => {
  describe('PATCH /me', () => {
    describe('when the body tries to set the role (mass assignment)', () => {
      it('changes the name but never the role', async () => {
        const app = createApp(quiet);
        const { ids, authorization } = await world();

        const res = await send(app, 'PATCH /me', ids, authorization.viewer, { name: 'Mallory', role: 'admin' });
        const users = await send(app, 'GET /users', ids, authorization.viewer);

        expect([200, 400]).toContain(res.status);
        expect((await User.findById(ids.viewer))?.role).toBe('viewer');
        expectProblem(users, 403, 'auth.forbidden');
      });
    });
  });
});
