import type { RequestHandler } from 'express';
import { notFound, validationFailed } from '../../../../lib/errors';
import type { AuthUser } from './authenticate';
import { Article, User } from './models';
import { ROLE_NAMES, type Role } from './permissions';

/** One route: what it answers to, who may call it, and what it does. */
export interface RouteDef {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  // TODO: routes declare role names (or nothing at all) instead of a permission.
  roles?: Role[];
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
    handler: (_req, res) => void res.json({ status: 'ok' }),
  },
  {
    method: 'get',
    path: '/articles',
    handler: async (_req, res) => void res.json(await Article.find().sort({ _id: 1 })),
  },
  {
    method: 'post',
    path: '/articles',
    handler: async (req, res) => {
      const { title, body } = (req.body ?? {}) as Record<string, unknown>;
      const article = await Article.create({ title: title as string, body: body as string, authorId: currentUser(res.locals)?.id });
      res.status(201).json(article);
    },
  },
  {
    method: 'patch',
    path: '/articles/:id',
    roles: ['author', 'editor'],
    handler: async (req, res) => {
      const article = await findArticle(req.params.id as string);
      // TODO: any author may edit anyone's article: ownership is never checked.
      const { title, body } = (req.body ?? {}) as Record<string, unknown>;
      article.set({ title, body });
      res.json(await article.save());
    },
  },
  {
    method: 'delete',
    path: '/articles/:id',
    roles: ['admin'],
    handler: async (req, res) => {
      const article = await findArticle(req.params.id as string);
      // TODO: only admins may delete, not even the article's own author.
      await article.deleteOne();
      res.sendStatus(204);
    },
  },
  {
    method: 'get',
    path: '/users',
    roles: ['admin'],
    handler: async (_req, res) => void res.json(await User.find().sort({ _id: 1 })),
  },
  {
    method: 'patch',
    path: '/users/:id/role',
    roles: ['admin'],
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
    handler: async (_req, res) => void res.json(await User.findById(currentUser(res.locals).id)),
  },
  {
    method: 'patch',
    path: '/me',
    handler: async (req, res) => {
      const user = await User.findById(currentUser(res.locals).id);
      if (!user) throw notFound('Your account');
      // TODO: mass assignment: whatever the body holds is written to the user, "role" included.
      user.set(req.body ?? {});
      res.json(await user.save());
    },
  },
];
