import { useRedis } from '../..';
import { createApp } from '../../../solutions/caching/redis-sessions/src/app';
import { createUserDirectory } from '../../../solutions/caching/redis-sessions/src/users';
import { signIn } from '../credentials';
import { sweep } from '../sweep';

const redis = useRedis();
const ada = { email: 'ada@example.com', name: 'Ada', password: 'correct horse battery staple' };

sweep('caching/redis-sessions', async (log) => {
  const users = await createUserDirectory([ada], { bcryptRounds: 4 });
  return {
    app: createApp({ redis: redis.createClient(), users, config: { session: { secret: 'redis-sessions-sweep-secret-0123456789', maxAgeMs: 600_000, secureCookies: false } }, log }),
    auth: async (url) => ({ cookie: (await signIn(url, '/login', { email: ada.email, password: ada.password })).cookie ?? '' }),
    bodies: { 'POST /login': { email: ada.email, password: ada.password } },
  };
});
