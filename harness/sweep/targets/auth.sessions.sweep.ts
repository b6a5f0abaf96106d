import bcrypt from 'bcrypt';
import { useMongo } from '../..';
import { createApp } from '../../../solutions/auth/sessions/src/app';
import type { SessionConfig } from '../../../solutions/auth/sessions/src/config';
import { User } from '../../../solutions/auth/sessions/src/user.model';
import { signIn } from '../credentials';
import { sweep } from '../sweep';

useMongo();
const origin = 'https://notes.kata.test';
const config: SessionConfig = { secret: 'sessions-sweep-secret', trustProxy: 1, idleTimeoutMs: 60_000, absoluteTimeoutMs: 600_000, allowedOrigins: [origin] };
const ada = { email: 'ada@example.com', password: 'correct horse battery staple' };

sweep('auth/sessions', async (log) => {
  await User.init();
  await User.create({ email: ada.email, passwordHash: await bcrypt.hash(ada.password, 4) });
  return {
    app: createApp({ config, log }),
    auth: async (url) => {
      const { cookie } = await signIn(url, '/login', ada, { origin });
      return { origin, cookie: cookie ?? '' };
    },
    bodies: { 'POST /login': ada, 'POST /notes': { text: 'a note' } },
  };
});
