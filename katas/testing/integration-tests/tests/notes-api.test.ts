import { describe, it } from '@jest/globals';
// The system under test, complete and correct: your tests must pass against it.
//   import request from 'supertest';
//   import { buildUser, startServer, useMongo, useRedis } from '../../../../harness';
//   import { createApp, type AppConfig } from '../src/app';
//   import { Note, User } from '../src/models';
// Keep the describe() titles: the grader looks for passing tests under them.
// TODO: at the top, useMongo() and useRedis() (a database and a Redis for this file, emptied
// after every test), then in beforeAll build the app once and startServer() it; seed users
// and notes through the API (a signUp() helper) and assert on the database after a refusal.

describe('registration', () => {
  // TODO: the 201 body (public fields only), a taken email in any case, 50 racing registrations and the
  // database's own refusal of a second account (a race can pass by luck), invalid fields.
  it.todo('answers 201 with the public fields only, the email lower-cased');
  it.todo('refuses an email already taken, in any case, with 409 naming the field');
  it.todo('creates exactly one account when 50 registrations of one email race');
  it.todo('keeps one account per email in the database itself, whoever writes');
  it.todo('refuses an invalid email, name or password with 400 validation.failed, and stores nothing');
});

describe('sign-in', () => {
  // TODO: login → token → a protected route; wrong password vs unknown email; no token and an expired one.
  it.todo('gives a token that opens the protected routes as that user');
  it.todo('answers a wrong password and an unknown email alike: 401 invalid_credentials');
  it.todo('refuses a request without a token, and one with an expired token, with 401');
});

describe('notes', () => {
  // TODO: who owns a new note, invalid notes and updates, malformed ids, another user's note.
  it.todo('creates a note owned by the caller, whatever owner the body names');
  it.todo('refuses an invalid note with 400, and stores nothing');
  it.todo('answers a malformed id with 400, not 500');
  it.todo("hides another user's note: read, update and delete answer 404 and change nothing");
  it.todo('refuses an invalid update, and keeps the note as it was');
});

describe('pagination', () => {
  // TODO: exact pages (which notes, in which order), the total, the largest page size and one above.
  it.todo('serves exact pages, newest first, and counts only the caller’s notes');
  it.todo('accepts a limit of 100 and refuses 101 with 400');
});

describe('cache', () => {
  // TODO: read (so it is cached), write, read again through the API.
  it.todo('serves the updated note right after an update, not the cached one');
  it.todo('answers 404 right after a delete, even for a note that was cached');
  it.todo('does not serve a cached note to another user');
});
