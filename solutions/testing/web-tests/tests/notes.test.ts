import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { useBrowser } from '../../../../harness/browser';
import { startNotesApp, type NotesApp } from '../src/app';

const browser = useBrowser('chromium');

let app: NotesApp;
beforeEach(async () => {
  app = await startNotesApp();
});
afterEach(() => app.close());

const ada = { email: 'ada@example.org', password: 'correct horse battery', name: 'Ada' };

// Data goes in through the API, as fast and as exact as a fixture: the browser is
// for what a person does, not for setting the scene.
async function register(user = ada): Promise<void> {
  const response = await fetch(`${app.url}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  expect(response.status).toBe(201);
}

async function postNote(text: string, user = ada): Promise<void> {
  const login = await fetch(`${app.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const response = await fetch(`${app.url}/api/notes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ text }),
  });
  expect(response.status).toBe(201);
}

async function openSignIn() {
  const page = await browser.openPage();
  await page.goto(app.url);
  await page.fill('Email', ada.email);
  return page;
}

async function signIn(password = ada.password) {
  const page = await openSignIn();
  await page.fill('Password', password);
  await page.click('button', 'Sign in');
  return page;
}

describe('signing in', () => {
  it('shows the refusal in an alert, lets the person try again, and clears the alert once in', async () => {
    await register();
    const page = await signIn('wrong password');

    expect(await page.text('alert')).toBe('Wrong email or password.');
    await page.fill('Password', ada.password);
    await page.click('button', 'Sign in');

    expect(await page.text('status')).toBe('Signed in as Ada');
    expect(await page.texts('alert')).toEqual([]);
  });

  it('says so when the server cannot be reached, and lets the person try again', async () => {
    await register();
    const page = await openSignIn();
    await page.fill('Password', ada.password);

    await app.close();
    await page.click('button', 'Sign in');

    expect(await page.text('alert')).toBe('The server cannot be reached. Try again.');
    await page.waitForEnabled('button', 'Sign in');
  });
});

describe('signing out', () => {
  it('ends the session on the server: a reload asks to sign in again, with the email remembered', async () => {
    await register();
    const page = await signIn();

    await page.click('button', 'Sign out');
    await page.waitForEnabled('button', 'Sign in');
    // A reload is what tells a session ended on the server from a board merely hidden.
    await page.goto(app.url);

    expect(await page.text('textbox', 'Email')).toBe(ada.email);
    await page.waitForEnabled('button', 'Sign in');
  });

  it('keeps the email in the browser, never the password', async () => {
    await register();
    const page = await signIn();
    await page.text('status');

    // What any script on the page could read: both storages, whatever the keys.
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');

    expect(stored).toContain(ada.email);
    expect(stored).not.toContain(ada.password);
  });
});

describe('the notes list', () => {
  it('shows the notes that exist, oldest first', async () => {
    await register();
    await postNote('first');
    await postNote('second');

    const page = await signIn();

    expect(await page.texts('listitem', { atLeast: 2 })).toEqual(['first', 'second']);
  });

  it('adds a note from the form once, and shows notes added elsewhere without a reload', async () => {
    await register();
    const page = await signIn();

    await page.fill('New note', 'from the form');
    await page.click('button', 'Add note');
    await page.text('listitem', 'from the form');
    // A note from elsewhere arrives live, and proves the list settled: a duplicate
    // of ours would have come before it.
    await postNote('and one more');
    await page.text('listitem', 'and one more');

    expect(await page.texts('listitem')).toEqual(['from the form', 'and one more']);
  });

  it('shows the server\'s message when a note is refused', async () => {
    await register();
    const page = await signIn();
    await page.text('status');

    await page.fill('New note', '   ');
    await page.click('button', 'Add note');

    expect(await page.text('alert')).toBe('A note needs some text, at most 280 characters.');
  });

  it('shows a note as text, never as markup', async () => {
    const attack = '<img src="x" onerror="window.pwned = true">';
    await register();
    await postNote(attack);

    const page = await signIn();

    expect(await page.text('listitem')).toBe(attack);
    expect(await page.evaluate('window.pwned === undefined')).toBe(true);
  });
});
