import { beforeAll, describe, expect, it } from '@jest/globals';
import bcrypt from 'bcrypt';
import request from 'supertest';
import { buildUser, useMongo, expectProblem } from '../../../harness';
import { createApp, type PasswordHasher } from './src/app';
import { ConfigError, loadConfig } from './src/config';
import { User } from './src/user.model';

const mongo = useMongo();

beforeAll(async () => {
  // The duplicate specs need the unique index before the first insert.
  await User.init();
});

/** The real bcrypt, counting calls: the only honest way to see a comparison happen. */
function recordingHasher(): PasswordHasher & { calls: { hash: number; compare: number }; compared: string[]; failNextHash(): void } {
  const calls = { hash: 0, compare: 0 };
  const compared: string[] = [];
  let failNext = false;
  return {
    calls,
    compared,
    failNextHash: () => void (failNext = true),
    hash: (data, cost) => {
      calls.hash += 1;
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('bcrypt worker pool exhausted'));
      }
      return bcrypt.hash(data, cost);
    },
    compare: (data, hash) => {
      calls.compare += 1;
      compared.push(hash);
      return bcrypt.compare(data, hash);
    },
    getRounds: (hash) => bcrypt.getRounds(hash),
  };
}

/** Cost 4 is bcrypt's minimum: the specs stay fast, the code path is the real one. */
function appWith({ bcryptCost = 4, hasher = recordingHasher() } = {}) {
  return { app: createApp({ config: { bcryptCost }, hasher, log: () => {} }), hasher };
}

// Meets the starter's composition rules too, so login specs fail for the login's reasons.
const password = 'Tr0ub4dor & 3 horses';

async function storedUsers() {
  return mongo.connection.collection('users').find({}).toArray();
}

describe('1. A cost from the configuration', () => {
  describe('loadConfig()', () => {
    it('defaults the bcrypt cost to at least 10 and reads KATA_BCRYPT_COST', () => {
      expect(loadConfig({}).bcryptCost).toBeGreaterThanOrEqual(10);
      expect(loadConfig({ KATA_BCRYPT_COST: '4' }).bcryptCost).toBe(4);
    });

    it.each(['abc', '3', '32', '4.5'])('refuses KATA_BCRYPT_COST="%s" with a ConfigError at start-up', (value) => {
      expect(() => loadConfig({ KATA_BCRYPT_COST: value })).toThrow(ConfigError);
    });
  });

  describe('POST /register', () => {
    describe('when the input is valid', () => {
      it('stores only a bcrypt hash made with the configured cost', async () => {
        const { app } = appWith({ bcryptCost: 5 });

        const res = await request(app).post('/register').send(buildUser({ password }));

        expect(res.status).toBe(201);
        const [stored, ...others] = await storedUsers();
        expect(others).toHaveLength(0);
        expect(stored?.passwordHash).toMatch(/^\$2[aby]\$05\$/);
        expect(JSON.stringify(stored)).not.toContain(password);
      });
    });
  });
});

describe('2. Keep the hash out of every response', () => {
  describe('POST /register', () => {
    describe('when the input is valid', () => {
      it('answers 201 with the id and e-mail, and neither the hash nor the password', async () => {
        const { app } = appWith();
        const user = buildUser({ password });

        const res = await request(app).post('/register').send(user);

        expect(res.status).toBe(201);
        expect(res.body).toEqual({ id: expect.any(String), email: user.email });
        expect(res.text).not.toMatch(/\$2[aby]\$/);
        expect(res.text).not.toContain(password);
      });

      it('keeps the hash out of toJSON(), whoever serialises a user', async () => {
        const { app } = appWith();
        await request(app).post('/register').send(buildUser({ password }));

        const user = await User.findOne();

        expect(user).not.toBeNull();
        expect(JSON.stringify(user)).not.toMatch(/\$2[aby]\$/);
        expect(user?.toJSON()).not.toHaveProperty('passwordHash');
      });
    });
  });

  describe('POST /login', () => {
    async function registered(app: ReturnType<typeof createApp>) {
      const user = buildUser({ password });
      await request(app).post('/register').send(user).expect(201);
      return user;
    }

    describe('when the credentials are right', () => {
      it('answers 200 with the user, and neither the hash nor the password', async () => {
        const { app } = appWith();
        const user = await registered(app);

        const res = await request(app).post('/login').send({ email: user.email, password });

        expect(res.status).toBe(200);
        expect(res.body.user).toEqual({ id: expect.any(String), email: user.email });
        expect(res.text).not.toMatch(/\$2[aby]\$/);
      });
    });
  });
});

describe('3. One account per e-mail', () => {
  describe('POST /register', () => {
    describe('the e-mail', () => {
      it('is stored trimmed and lower-cased, and login finds it in any case', async () => {
        const { app } = appWith();

        const registered = await request(app).post('/register').send({ email: '  Ada.Lovelace@Example.COM ', password });
        const login = await request(app).post('/login').send({ email: 'ada.lovelace@EXAMPLE.com', password });

        expect(registered.status).toBe(201);
        expect((await storedUsers()).map((u) => u.email)).toEqual(['ada.lovelace@example.com']);
        expect(login.status).toBe(200);
      });

      it('is unique through a real unique index on the users collection', async () => {
        const indexes = await User.collection.indexes();

        const emailIndex = indexes.find((index) => JSON.stringify(index.key) === JSON.stringify({ email: 1 }));

        expect(emailIndex?.unique).toBe(true);
      });

      it('answers 409 resource.conflict naming the field when it is taken in another spelling', async () => {
        const { app } = appWith();
        await request(app).post('/register').send({ email: 'grace@example.com', password });

        const res = await request(app).post('/register').send({ email: ' Grace@Example.com', password: 'another passphrase' });

        const body = expectProblem(res, 409, 'resource.conflict');
        expect(body.field).toBe('email');
        expect(await storedUsers()).toHaveLength(1);
      });

      it('lets exactly one of two simultaneous sign-ups win', async () => {
        const { app } = appWith();

        const results = await Promise.all([
          request(app).post('/register').send({ email: 'race@example.com', password }),
          request(app).post('/register').send({ email: 'RACE@example.com', password }),
        ]);

        expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
        expect(await storedUsers()).toHaveLength(1);
      });
    });
  });
});

describe('4. A NIST password policy', () => {
  describe('POST /register', () => {
    describe('the password policy (NIST SP 800-63B)', () => {
      it('refuses 7 characters with 400 validation.failed and a detail for the password', async () => {
        const { app } = appWith();

        const res = await request(app).post('/register').send(buildUser({ password: 'Abcde1!' }));

        const body = expectProblem(res, 400, 'validation.failed');
        expect(body.errors).toEqual([{ field: 'password', message: expect.any(String) }]);
      });

      it('counts characters, not UTF-16 units: 4 emoji are 4 characters, too few', async () => {
      const { app } = appWith();

      const res = await request(app).post('/register').send(buildUser({ password: '🔑🔑🔑🔑' }));

      const body = expectProblem(res, 400, 'validation.failed');
      expect(body.errors).toEqual([{ field: 'password', message: expect.any(String) }]);
    });

    it('accepts 8 lower-case letters: no composition rules', async () => {
        const { app } = appWith();

        const res = await request(app).post('/register').send(buildUser({ password: 'abcdefgh' }));

        expect(res.status).toBe(201);
      });

      it('accepts a long passphrase with spaces', async () => {
        const { app } = appWith();
        const passphrase = 'correct horse battery staple, and then some more words for good measure';

        const res = await request(app).post('/register').send(buildUser({ password: passphrase }));

        expect(res.status).toBe(201);
      });

      it('reports every invalid field at once', async () => {
        const { app } = appWith();

        const res = await request(app).post('/register').send({ email: 'not an e-mail' });

        const body = expectProblem(res, 400, 'validation.failed');
        expect((body.errors as Array<{ field: string }>).map((error) => error.field).sort()).toEqual(['email', 'password']);
      });
    });

    describe('when the password is longer than bcrypt\'s 72 bytes', () => {
      // 36 × "ü" is 72 bytes in UTF-8: everything after it is invisible to bcrypt.
      const prefix = 'ü'.repeat(36);

      it('refuses it with 400, or tells it apart from another password with the same first 72 bytes', async () => {
        const { app } = appWith();
        const email = 'umlaut@example.com';

        const registered = await request(app).post('/register').send({ email, password: `${prefix} Secret 1` });

        if (registered.status === 400) {
          expect(expectProblem(registered, 400, 'validation.failed').errors).toEqual([{ field: 'password', message: expect.any(String) }]);
          return;
        }
        expect(registered.status).toBe(201);
        const impostor = await request(app).post('/login').send({ email, password: `${prefix} Guess 2` });
        const owner = await request(app).post('/login').send({ email, password: `${prefix} Secret 1` });
        expect([impostor.status, owner.status]).toEqual([401, 200]);
      });
    });
  });
});

describe('5. A login that gives nothing away', () => {
  describe('POST /login', () => {
    async function registered(app: ReturnType<typeof createApp>) {
      const user = buildUser({ password });
      await request(app).post('/register').send(user).expect(201);
      return user;
    }

    describe('when the password is wrong', () => {
      it('answers 401 auth.invalid_credentials with the same body as for an unknown e-mail', async () => {
        const { app } = appWith();
        const user = await registered(app);

        const wrong = await request(app).post('/login').send({ email: user.email, password: 'not the password' });
        const unknown = await request(app).post('/login').send({ email: 'nobody@example.com', password });

        const { requestId: _a, ...wrongBody } = expectProblem(wrong, 401, 'auth.invalid_credentials');
        const { requestId: _b, ...unknownBody } = expectProblem(unknown, 401, 'auth.invalid_credentials');
        expect(wrongBody).toEqual(unknownBody);
      });
    });

    describe('when the e-mail is unknown', () => {
      it('still runs one bcrypt comparison, so the response time does not tell', async () => {
        const { app, hasher } = appWith();

        const res = await request(app).post('/login').send({ email: 'nobody@example.com', password });

        expect(res.status).toBe(401);
        expect(hasher.calls.compare).toBe(1);
      });

      it('compares against a hash made at the configured cost, not a cheaper one (the time would tell)', async () => {
        const { app, hasher } = appWith({ bcryptCost: 6 });

        const res = await request(app).post('/login').send({ email: 'nobody@example.com', password });

        expectProblem(res, 401, 'auth.invalid_credentials');
        expect(hasher.compared.map((hash) => bcrypt.getRounds(hash))).toEqual([6]);
      });

      it('answers 401 again after one failed attempt to make the comparison hash', async () => {
        const { app, hasher } = appWith();
        hasher.failNextHash();

        const first = await request(app).post('/login').send({ email: 'nobody@example.com', password });
        const second = await request(app).post('/login').send({ email: 'nobody@example.com', password });

        expect(first.status).toBe(500);
        expectProblem(second, 401, 'auth.invalid_credentials');
      });
    });

    describe('when the stored hash was made with a lower cost than configured', () => {
      it('rehashes the password with the configured cost, and the new hash still logs in', async () => {
        const { app: yesterday } = appWith({ bcryptCost: 4 });
        const user = await registered(yesterday);
        const { app: today } = appWith({ bcryptCost: 5 });

        const first = await request(today).post('/login').send({ email: user.email, password });
        const second = await request(today).post('/login').send({ email: user.email, password });

        expect([first.status, second.status]).toEqual([200, 200]);
        const [stored] = await storedUsers();
        expect(bcrypt.getRounds(String(stored?.passwordHash))).toBe(5);
      });
    });
  });
});
