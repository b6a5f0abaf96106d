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

  it('maps a duplicate key to 409 naming the field', async () => {
    const duplicate = Object.assign(new Error('E11000 duplicate key error'), { code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'a@b.c' } });

    const res = await request(appThrowing(duplicate).app).get('/boom');

    expect([res.status, res.body.code, res.body.field]).toEqual([409, 'resource.conflict', 'email']);
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
