import { beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { buildUser, startServer, useMongo, useRedis } from '../../../../harness';
import { createApp, type AppConfig } from '../src/app';
import { Note, User } from '../src/models';

// One database for this file, emptied after every test; one Redis, flushed after every test.
useMongo();
const redis = useRedis();

const config: AppConfig = { jwtSecret: 'integration-tests-secret', tokenTtlSeconds: 900, passwordRounds: 4, cacheTtlSeconds: 60 };
let baseUrl: string;

beforeAll(async () => {
  // One server for the file: 50 parallel requests then share it, as real clients would.
  const app = await createApp({ redis: redis.createClient(), config });
  baseUrl = (await startServer(app)).url;
});

const api = () => request(baseUrl);

type Registration = { email: string; name: string; password: string };

/** A valid registration body; the override is what the test is about. */
function buildRegistration(overrides: Partial<Registration> = {}): Registration {
  const { email, name, password } = buildUser();
  return { email, name, password, ...overrides };
}

/** A registered, signed-in user: seeded through the API, as a client would. */
async function signUp(overrides: Partial<Registration> = {}): Promise<{ id: string; email: string; auth: string }> {
  const registration = buildRegistration(overrides);
  const created = await api().post('/users').send(registration);
  expect(created.status).toBe(201);
  const session = await api().post('/sessions').send({ email: registration.email, password: registration.password });
  expect(session.status).toBe(200);
  return { id: created.body.id, email: created.body.email, auth: `Bearer ${session.body.token}` };
}

async function createNote(auth: string, fields: Record<string, unknown> = {}): Promise<{ id: string; title: string }> {
  const res = await api().post('/notes').set('Authorization', auth).send({ title: 'Groceries', body: 'milk', ...fields });
  expect(res.status).toBe(201);
  return res.body;
}

/** A problem details answer (phase 1's format): status, content type and code. */
function expectProblem(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
}

describe('registration', () => {
  it('answers 201 with the public fields only, the email lower-cased', async () => {
    const res = await api().post('/users').send(buildRegistration({ email: 'Ada.Lovelace@Example.com', name: 'Ada' }));

    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'email', 'id', 'name']);
    expect(res.body).toMatchObject({ email: 'ada.lovelace@example.com', name: 'Ada' });
  });

  it('refuses an email already taken, in any case, with 409 naming the field', async () => {
    await signUp({ email: 'ada@example.com' });

    const res = await api().post('/users').send(buildRegistration({ email: 'ADA@example.com' }));

    expectProblem(res, 409, 'resource.conflict');
    expect(res.body.field).toBe('email');
    expect(await User.countDocuments()).toBe(1);
  });

  it('creates exactly one account when 50 registrations of one email race', async () => {
    const registration = buildRegistration();

    const answers = await Promise.all(Array.from({ length: 50 }, () => api().post('/users').send(registration)));

    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(49).fill(409)]);
    expect(await User.countDocuments({ email: registration.email })).toBe(1);
    // A bound for a slow machine, not a claim about speed: 50 requests and 50 hashes may take a while under load.
  }, 30_000);

  // The race above is a matter of timing: a lookup-then-insert can get lucky and pass it.
  // The guarantee lives in the database, so pin it there too, without luck: two writes of
  // one email that skip the API (a script, another service) must not both be stored.
  it('keeps one account per email in the database itself, whoever writes', async () => {
    const { email } = buildRegistration();

    await User.create({ email, name: 'First', passwordHash: 'not-a-real-hash' });
    const second = User.create({ email: email.toUpperCase(), name: 'Second', passwordHash: 'not-a-real-hash' });

    await expect(second).rejects.toMatchObject({ code: 11000 });
    expect(await User.countDocuments({ email })).toBe(1);
  });

  it.each([
    ['a password of 7 characters', { password: '1234567' }, 'password'],
    ['no password', { password: undefined }, 'password'],
    ['a malformed email', { email: 'ada.example.com' }, 'email'],
    ['an empty name', { name: '' }, 'name'],
  ])('refuses %s with 400 validation.failed, and stores nothing', async (_case, override, field) => {
    const res = await api().post('/users').send(buildRegistration(override));

    expectProblem(res, 400, 'validation.failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    expect(await User.countDocuments()).toBe(0);
  });

  it('accepts a password of exactly 8 characters', async () => {
    const res = await api().post('/users').send(buildRegistration({ password: '12345678' }));

    expect(res.status).toBe(201);
  });
});

describe('sign-in', () => {
  it('gives a token that opens the protected routes as that user', async () => {
    const ada = await signUp({ name: 'Ada' });

    const res = await api().get('/users/me').set('Authorization', ada.auth);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ada.id, email: ada.email, name: 'Ada', createdAt: expect.any(String) });
  });

  it('answers a wrong password and an unknown email alike: 401 invalid_credentials', async () => {
    const ada = await signUp({ password: 'correct horse battery' });

    const wrongPassword = await api().post('/sessions').send({ email: ada.email, password: 'wrong horse battery' });
    const unknownEmail = await api().post('/sessions').send({ email: 'nobody@example.com', password: 'correct horse battery' });

    expectProblem(wrongPassword, 401, 'auth.invalid_credentials');
    expectProblem(unknownEmail, 401, 'auth.invalid_credentials');
    expect(unknownEmail.body.detail).toBe(wrongPassword.body.detail);
  });

  it('refuses a request without a token, and one with an expired token, with 401', async () => {
    const ada = await signUp();
    const expired = jwt.sign({ exp: Math.floor(Date.now() / 1000) - 60 }, config.jwtSecret, { subject: ada.id });

    const noToken = await api().get('/users/me');
    const expiredToken = await api().get('/users/me').set('Authorization', `Bearer ${expired}`);

    expectProblem(noToken, 401, 'auth.unauthenticated');
    expectProblem(expiredToken, 401, 'auth.token_expired');
  });
});

describe('notes', () => {
  it('creates a note owned by the caller, whatever owner the body names', async () => {
    const ada = await signUp();
    const bob = await signUp();

    const note = await createNote(ada.auth, { title: 'Mine', ownerId: bob.id });

    expect(note).toMatchObject({ title: 'Mine', ownerId: ada.id });
    const asBob = await api().get('/notes').set('Authorization', bob.auth);
    expect(asBob.body.items).toEqual([]);
  });

  it('refuses a title over 200 characters with 400, and stores nothing', async () => {
    const ada = await signUp();

    const res = await api().post('/notes').set('Authorization', ada.auth).send({ title: 'x'.repeat(201) });

    expectProblem(res, 400, 'validation.failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'title' })]);
    expect(await Note.countDocuments()).toBe(0);
  });

  it.each(['get', 'patch', 'delete'] as const)('answers %s of a malformed id with 400, not 500', async (method) => {
    const ada = await signUp();

    const res = await api()[method]('/notes/not-an-id').set('Authorization', ada.auth).send({ title: 'New' });

    expectProblem(res, 400, 'validation.failed');
  });

  it("hides another user's note: read, update and delete answer 404 and change nothing", async () => {
    const ada = await signUp();
    const bob = await signUp();
    const note = await createNote(ada.auth, { title: 'Private' });

    const read = await api().get(`/notes/${note.id}`).set('Authorization', bob.auth);
    const update = await api().patch(`/notes/${note.id}`).set('Authorization', bob.auth).send({ title: 'Hacked' });
    const remove = await api().delete(`/notes/${note.id}`).set('Authorization', bob.auth);

    for (const res of [read, update, remove]) expectProblem(res, 404, 'resource.not_found');
    expect(await Note.findById(note.id).lean()).toMatchObject({ title: 'Private' });
  });

  it('refuses an update with a title over 200 characters, and keeps the note as it was', async () => {
    const ada = await signUp();
    const note = await createNote(ada.auth, { title: 'Before' });

    const res = await api().patch(`/notes/${note.id}`).set('Authorization', ada.auth).send({ title: 'x'.repeat(201) });

    expectProblem(res, 400, 'validation.failed');
    expect(await Note.findById(note.id).lean()).toMatchObject({ title: 'Before' });
  });
});

describe('pagination', () => {
  it('serves exact pages, newest first, and counts only the caller’s notes', async () => {
    const ada = await signUp();
    const bob = await signUp();
    // Seeded straight into the database (one round trip): this test is about reading them back.
    await Note.insertMany(Array.from({ length: 25 }, (_, i) => ({ ownerId: ada.id, title: `Note ${i + 1}` })));
    await createNote(bob.auth, { title: "Bob's" });

    const second = await api().get('/notes?page=2&limit=10').set('Authorization', ada.auth);
    const last = await api().get('/notes?page=3&limit=10').set('Authorization', ada.auth);

    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ page: 2, limit: 10, total: 25 });
    expect(second.body.items.map((note: { title: string }) => note.title)).toEqual(
      ['Note 15', 'Note 14', 'Note 13', 'Note 12', 'Note 11', 'Note 10', 'Note 9', 'Note 8', 'Note 7', 'Note 6'],
    );
    expect(last.body.items.map((note: { title: string }) => note.title)).toEqual(['Note 5', 'Note 4', 'Note 3', 'Note 2', 'Note 1']);
  });

  it('accepts a limit of 100 and refuses 101 with 400', async () => {
    const ada = await signUp();

    const largest = await api().get('/notes?limit=100').set('Authorization', ada.auth);
    const tooLarge = await api().get('/notes?limit=101').set('Authorization', ada.auth);

    expect(largest.status).toBe(200);
    expectProblem(tooLarge, 400, 'validation.failed');
  });
});

describe('cache', () => {
  it('serves the updated note right after an update, not the cached one', async () => {
    const ada = await signUp();
    const note = await createNote(ada.auth, { title: 'Before' });
    await api().get(`/notes/${note.id}`).set('Authorization', ada.auth);

    await api().patch(`/notes/${note.id}`).set('Authorization', ada.auth).send({ title: 'After' });
    const res = await api().get(`/notes/${note.id}`).set('Authorization', ada.auth);

    expect(res.status).toBe(200);
    expect(res.body.title).toBe('After');
  });

  it('answers 404 right after a delete, even for a note that was cached', async () => {
    const ada = await signUp();
    const note = await createNote(ada.auth);
    await api().get(`/notes/${note.id}`).set('Authorization', ada.auth);

    const removed = await api().delete(`/notes/${note.id}`).set('Authorization', ada.auth);
    const res = await api().get(`/notes/${note.id}`).set('Authorization', ada.auth);

    expect(removed.status).toBe(204);
    expectProblem(res, 404, 'resource.not_found');
  });

  it('does not serve a cached note to another user', async () => {
    const ada = await signUp();
    const bob = await signUp();
    const note = await createNote(ada.auth);
    const first = await api().get(`/notes/${note.id}`).set('Authorization', ada.auth);
    const second = await api().get(`/notes/${note.id}`).set('Authorization', ada.auth);

    const asBob = await api().get(`/notes/${note.id}`).set('Authorization', bob.auth);

    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'HIT']);
    expectProblem(asBob, 404, 'resource.not_found');
  });
});
