import jwt from 'jsonwebtoken';
import { useMongo } from '../..';
import { createApp } from '../../../solutions/auth/access-control/src/app';
import type { AccessConfig } from '../../../solutions/auth/access-control/src/config';
import { Article, User } from '../../../solutions/auth/access-control/src/models';
import { sweep } from '../sweep';

useMongo();
const config: AccessConfig = { accessSecret: 'access-control-sweep-secret-0123456789', issuer: 'https://auth.kata.test', audience: 'kata-api' };

sweep('auth/access-control', async (log) => {
  await User.init();
  // An admin reaches every handler; the hostile part then meets the handler, not the gate.
  const admin = await User.create({ email: 'admin@example.com', name: 'Admin', role: 'admin' });
  const article = await Article.create({ title: 'An article', authorId: String(admin._id) });
  const token = jwt.sign({ sub: String(admin._id) }, config.accessSecret, { algorithm: 'HS256', issuer: config.issuer, audience: config.audience, expiresIn: 600 });
  return {
    app: createApp({ config, log }),
    auth: () => ({ authorization: `Bearer ${token}` }),
    params: { id: String(article._id) },
    bodies: {
      'POST /articles': { title: 'A title', body: 'A body' },
      'PATCH /articles/:id': { title: 'A new title', body: 'A new body' },
      'PATCH /users/:id/role': { role: 'editor' },
      'PATCH /me': { name: 'Admin Two' },
    },
  };
});
