import jwt from 'jsonwebtoken';
import { useMongo } from '../..';
import { createApp } from '../../../solutions/errors/global-handler/src/app';
import { User } from '../../../solutions/errors/global-handler/src/user.model';
import { sweep } from '../sweep';

useMongo();
const jwtSecret = 'global-handler-sweep-secret';

sweep('errors/global-handler', async () => {
  await User.init();
  const user = await User.create({ email: 'ada@example.com', handle: 'ada', name: 'Ada', age: 36 });
  return {
    app: createApp({ env: 'production', jwtSecret, logger: { error: () => {} } }),
    auth: () => ({ authorization: `Bearer ${jwt.sign({ sub: user.id }, jwtSecret, { expiresIn: 300 })}` }),
    params: { id: user.id as string },
    bodies: { 'POST /users': { email: 'grace@example.com', handle: 'grace', name: 'Grace', age: 40 } },
  };
});
