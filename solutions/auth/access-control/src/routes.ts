import type { RequestHandler } from 'express';
import { forbidden, notFound, validationFailed } from '../../../../lib/errors';
import type { AuthUser } from './authenticate';
import type { RouteAccess } from './authorize';
import { Article, User } from './models';
import { mayOn, ROLE_NAMES, type Role } from './permissions';

/** One route: what it answers to, who may call it, and what it does. */
export interface RouteDef {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  /** What it takes to call the route; a route without one is refused (deny by default). */
  permission?: RouteAccess;
  handler: RequestHandler;
}

const currentUser = (locals: Record<string, unknown>) => locals.user as AuthUser;

async function findArticle(id: string) {
  const article = await Article.findById(id);
  if (!article) throw notFound(`Article ${id}`);
  return article;
}

export const routes: RouteDef[] = [
  {
    method: 'get',
    path: '/health',
    permission: 'public',
    handler: (_req, res) => void res.json({ status: 'ok' }),
  },
  {
    method: 'get',
    path: '/articles',
    permission: 'article:read',
    handler: async (_req, res) => void res.json(await Article.find().sort({ _id: 1 })),
  },
  {
    method: 'post',
    path: '/articles',
    permission: 'article:create',
    handler: async (req, res) => {
      const { title, body } = (req.body ?? {}) as Record<string, unknown>;
      const article = await Article.create({ title: title as string, body: body as string, authorId: currentUser(res.locals)?.id });
      res.status(201).json(article);
    },
  },
  {
    method: 'patch',
    path: '/articles/:id',
    permission: 'article:update',
    handler: async (req, res) => {
      const article = await findArticle(req.params.id as string);
      // The route let in anyone who may update *some* articles; whether this
      // one is theirs is known only now that it is loaded.
      if (!mayOn(currentUser(res.locals), 'article:update', article.authorId)) throw forbidden();
      const { title, body } = (req.body ?? {}) as Record<string, unknown>;
      article.set({ title, body });
      res.json(await article.save());
    },
  },
  {
    method: 'delete',
    path: '/articles/:id',
    permission: 'article:delete',
    handler: async (req, res) => {
      const article = await findArticle(req.params.id as string);
      if (!mayOn(currentUser(res.locals), 'article:delete', article.authorId)) throw forbidden();
      await article.deleteOne();
      res.sendStatus(204);
    },
  },
  {
    method: 'get',
    path: '/users',
    permission: 'user:read',
    handler: async (_req, res) => void res.json(await User.find().sort({ _id: 1 })),
  },
  {
    method: 'patch',
    path: '/users/:id/role',
    permission: 'user:manage',
    handler: async (req, res) => {
      const role: unknown = req.body?.role;
      if (!ROLE_NAMES.includes(role as Role)) throw validationFailed({ role: `must be one of ${ROLE_NAMES.join(', ')}` });
      const user = await User.findByIdAndUpdate(req.params.id, { $set: { role } }, { new: true });
      if (!user) throw notFound(`User ${req.params.id}`);
      res.json(user);
    },
  },
  {
    method: 'get',
    path: '/me',
    permission: 'profile:read',
    handler: async (_req, res) => void res.json(await User.findById(currentUser(res.locals).id)),
  },
  {
    method: 'patch',
    path: '/me',
    permission: 'profile:update',
    handler: async (req, res) => {
      const user = await User.findById(currentUser(res.locals).id);
      if (!user) throw notFound('Your account');
      // An allowlist of what a user may change about themselves: copying the
      // body would let { "role": "admin" } through (mass assignment). The role
      // changes only through PATCH /users/:id/role, which needs user:manage.
      const { name } = (req.body ?? {}) as Record<string, unknown>;
      if (name !== undefined) user.set({ name });
      res.json(await user.save());
    },
  },
];
