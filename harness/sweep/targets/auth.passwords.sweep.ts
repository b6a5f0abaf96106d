import { useMongo } from '../..';
import { createApp } from '../../../solutions/auth/passwords/src/app';
import { User } from '../../../solutions/auth/passwords/src/user.model';
import { sweep } from '../sweep';

useMongo();

sweep('auth/passwords', async (log) => {
  await User.init();
  const ada = { email: 'ada@example.com', password: 'correct horse battery staple' };
  const app = createApp({ config: { bcryptCost: 4 }, log });
  return {
    app,
    bodies: { 'POST /register': ada, 'POST /login': ada },
  };
});
