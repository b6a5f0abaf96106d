import { useMongo } from '../..';
import { createApp } from '../../../solutions/auth/jwt/src/app';
import { createUserDirectory } from '../../../solutions/auth/jwt/src/users';
import { config } from '../../../katas/auth/jwt/fixtures';
import { signIn } from '../credentials';
import { sweep } from '../sweep';

useMongo();
const ada = { email: 'ada@example.com', password: 'correct horse battery staple' };

sweep('auth/jwt', (log) => ({
  app: createApp({ config, users: createUserDirectory([ada]), log }),
  auth: async (url) => {
    const { cookie, body } = await signIn(url, '/auth/login', ada);
    return { authorization: `Bearer ${String(body.accessToken)}`, ...(cookie ? { cookie } : {}) };
  },
  bodies: { 'POST /auth/login': ada },
}));
