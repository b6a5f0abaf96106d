import { describe, expect, it } from '@jest/globals';
import express from 'express';
import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import request from 'supertest';
import { AppError, notFoundHandler, problemHandler, requestId } from '.';

function appThrowing(error: unknown, env: 'production' | 'development' = 'production') {
  const logged: unknown[] = [];
  const app = express();
  app.use(requestId());
  app.use(express.json({ limit: '1kb' }));
  // async: Express 5 turns a rejected promise into next(err), even one without a value.
  app.all('/boom', async () => {
    throw error;
  });
  app.get('/things/:id', (req, res) => void res.json({ id: req.params.id }));
  app.use(notFoundHandler());
  app.use(problemHandler({ env, log: (entry) => logged.push(entry) }));
  return { app, logged };
}

describe('problemHandler()', () => {
  it('answers an operational AppError with its status, code and details as problem+json', async () => {
    const { app, logged } = appThrowing(new AppError(409, 'user.email_taken', 'That e-mail is taken.', { details: { field: 'email' } }));

    const res = await request(app).post('/boom?x=1');

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://example.com/problems/user.email_taken',
      title: 'Conflict',
      status: 409,
      code: 'user.email_taken',
      instance: '/boom',
      field: 'email',
    });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(logged).toHaveLength(0);
  });

  it('hides the message and stack of an unexpected error in production, and logs it', async () => {
    const { app, logged } = appThrowing(new Error('connection string mongodb://admin:secret@db'));

    const res = await request(app).get('/boom');

    expect(res.status).toBe(500);
    expect(res.body.code).toBe('internal');
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(res.body.stack).toBeUndefined();
    expect(logged).toHaveLength(1);
  });

  it('shows the message and stack in development', async () => {
    const { app } = appThrowing(new Error('kaboom'), 'development');

    const res = await request(app).get('/boom');

    expect(res.body).toMatchObject({ status: 500, detail: 'kaboom' });
    expect(res.body.stack).toContain('kaboom');
  });

  it('maps malformed JSON and oversize bodies to 400 and 413', async () => {
    const { app } = appThrowing(new Error('unreached'));

    const malformed = await request(app).post('/boom').set('content-type', 'application/json').send('{"a":');
    const oversize = await request(app).post('/boom').send({ big: 'x'.repeat(5000) });

    expect([malformed.status, malformed.body.code]).toEqual([400, 'entity.parse.failed']);
    expect([oversize.status, oversize.body.code]).toEqual([413, 'entity.too.large']);
  });

  it('maps mongoose validation and cast errors to 400 with per-field details', async () => {
    const Thing = mongoose.model('Thing', new mongoose.Schema({ name: { type: String, required: true } }));
    const validation = new Thing({}).validateSync()!;
    const cast = new mongoose.Error.CastError('ObjectId', 'nope', '_id');

    const a = await request(appThrowing(validation).app).get('/boom');
    const b = await request(appThrowing(cast).app).get('/boom');

    expect([a.status, a.body.code, a.body.errors]).toEqual([400, 'validation.failed', [{ field: 'name', message: expect.any(String) }]]);
    expect([b.status, b.body.code, b.body.field]).toEqual([400, 'validation.invalid_value', '_id']);
  });

  it("maps a duplicate key to 409 naming the field, in its own words rather than MongoDB's", async () => {
    const duplicate = Object.assign(new Error('E11000 duplicate key error collection: shop.users index: email_1 dup key: { email: "a@b.c" }'), {
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: 'a@b.c' },
    });

    const res = await request(appThrowing(duplicate).app).get('/boom');

    expect([res.status, res.body.code, res.body.field]).toEqual([409, 'resource.conflict', 'email']);
    expect(res.body.detail).toBe('Another record already uses this email.');
    expect(JSON.stringify(res.body)).not.toMatch(/E11000|shop\.users|email_1/);
  });

  it("gives each invalid field a clean message instead of mongoose's, and keeps a message the schema's author wrote", async () => {
    const Gadget = mongoose.model(
      'Gadget',
      new mongoose.Schema({
        name: { type: String, required: true },
        price: { type: Number, min: 0 },
        colour: { type: String, enum: ['red', 'blue'] },
        sku: { type: String, match: [/^[A-Z]{3}$/, 'must be three capital letters'] },
      }),
    );
    const invalid = new Gadget({ price: 'cheap', colour: 'green', sku: 'abc' }).validateSync()!;

    const res = await request(appThrowing(invalid).app).get('/boom');

    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'is required.' },
        { field: 'price', message: 'must be a valid number.' },
        { field: 'colour', message: 'must be one of: red, blue.' },
        { field: 'sku', message: 'must be three capital letters' },
      ]),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/Path `|Cast to|mongoose/i);
  });

  it('answers a body that does not match its Content-Encoding (gzip, deflate, br) with 400, never 500', async () => {
    const { app, logged } = appThrowing(new Error('unreached'));

    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await request(app).post('/boom').set('content-type', 'application/json').set('content-encoding', encoding).send('not compressed at all');

      expect([encoding, res.status, res.body.code]).toEqual([encoding, 400, 'entity.encoding.invalid']);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).not.toMatch(/header check|Z_DATA_ERROR|invalid/);
    }
    expect(logged).toHaveLength(0);
  });

  it('answers a malformed percent-escape in a path parameter with 400 request.malformed_uri', async () => {
    const { app } = appThrowing(new Error('unreached'));

    const res = await request(app).get('/things/%E0%A4%A');

    expect([res.status, res.body.code]).toEqual([400, 'request.malformed_uri']);
    expect(res.body.detail).not.toContain('Failed to decode');
  });

  it("never quotes the client's malformed body back in the detail", async () => {
    const { app } = appThrowing(new Error('unreached'));

    const res = await request(app).post('/boom').set('content-type', 'application/json').send('{"password": "hunter2"');

    expect([res.status, res.body.code]).toEqual([400, 'entity.parse.failed']);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('keeps a 4xx error that is not a known library shape a 500 (a status on a plain Error is our bug)', async () => {
    const { app } = appThrowing(Object.assign(new Error('legacy said 404'), { status: 404 }));

    const res = await request(app).get('/boom');

    expect([res.status, res.body.code]).toEqual([500, 'internal']);
  });

  it('maps expired and invalid JWTs to 401 with distinct codes and a WWW-Authenticate challenge', async () => {
    const expired = new jwt.TokenExpiredError('jwt expired', new Date(0));
    const invalid = new jwt.JsonWebTokenError('invalid signature');

    const a = await request(appThrowing(expired).app).get('/boom');
    const b = await request(appThrowing(invalid).app).get('/boom');

    expect([a.status, a.body.code]).toEqual([401, 'auth.token_expired']);
    expect([b.status, b.body.code]).toEqual([401, 'auth.token_invalid']);
    expect(b.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('answers unknown routes with a 404 problem, and a rejection without a value with a 500 problem', async () => {
    const { app } = appThrowing(undefined);

    const missing = await request(app).get('/nowhere');
    const empty = await request(app).get('/boom');

    expect([missing.status, missing.body.code]).toEqual([404, 'route.not_found']);
    expect([empty.status, empty.body.code]).toEqual([500, 'internal']);
  });

  it('keeps a well-formed incoming X-Request-Id and replaces a hostile one', async () => {
    const { app } = appThrowing(new AppError(400, 'bad', 'bad'));

    const kept = await request(app).get('/boom').set('X-Request-Id', 'abc-123');
    const replaced = await request(app).get('/boom').set('X-Request-Id', '<script>');

    expect(kept.body.requestId).toBe('abc-123');
    expect(replaced.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
