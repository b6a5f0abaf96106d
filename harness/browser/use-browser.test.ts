import { beforeAll, describe, expect, it } from '@jest/globals';
import { startServer } from '../http/start-server';
import { BrowserMissingError, browserEngines, checkEngine } from './engines';
import { useBrowser } from './use-browser';

/**
 * The one page API, exercised unchanged in each engine: the reason it exists.
 * The page changes itself after a click, later than the click returns (a
 * fetch and a timer), so every assertion below depends on the API waiting.
 */
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harness page</title></head><body>
<h1>Sign in</h1>
<form id="form">
  <label for="email">Email</label> <input id="email" type="text" autocomplete="email">
  <label>Password <input id="password" type="password"></label>
  <label for="day">Day</label> <input id="day" type="date">
  <button type="submit" id="go" disabled>Sign in</button>
</form>
<p role="alert" hidden id="error"></p>
<p role="status" id="status">Signed out</p>
<ul aria-label="Messages" id="messages"></ul>
<div id="raw"></div>
<script>
  const form = document.getElementById('form');
  const email = document.getElementById('email');
  const go = document.getElementById('go');
  // Enabled a moment after load, as a page does once its data arrived.
  setTimeout(() => { go.disabled = false; }, 150);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await (await fetch('/echo?email=' + encodeURIComponent(email.value) + '&day=' + document.getElementById('day').value)).json();
    setTimeout(() => {
      if (!answer.email.includes('@')) {
        const error = document.getElementById('error');
        error.textContent = 'Enter an email address';
        error.hidden = false;
        return;
      }
      document.getElementById('status').textContent = 'Signed in as ' + answer.email + ' on ' + answer.day;
      for (const text of ['first', 'second']) {
        const li = document.createElement('li');
        li.textContent = text;
        document.getElementById('messages').append(li);
      }
    }, 100);
  });
</script>
</body></html>`;

/**
 * A button far below the fold, under a veil that takes every click until it goes
 * (`?for=<ms>`; never with a negative value): a click must scroll to the button and
 * reach it, not whatever lies on top of it.
 */
const veiledPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Veiled page</title></head><body>
<p role="status" id="status">Waiting</p>
<div style="height: 3000px"></div>
<button id="go">Go</button>
<div id="veil" style="position: fixed; inset: 0; background: rgba(0, 0, 0, 0.3)"></div>
<script>
  const status = document.getElementById('status');
  document.getElementById('go').addEventListener('click', () => { status.textContent = 'Clicked'; });
  document.getElementById('veil').addEventListener('click', () => { status.textContent = 'The veil took the click'; });
  const ms = Number(new URLSearchParams(location.search).get('for'));
  if (ms >= 0) setTimeout(() => document.getElementById('veil').remove(), ms);
</script>
</body></html>`;

let url: string;
beforeAll(async () => {
  ({ url } = await startServer((req, res) => {
    const requested = new URL(req.url ?? '/', 'http://localhost');
    if (requested.pathname === '/veiled') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(veiledPage);
      return;
    }
    if (requested.pathname === '/echo') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ email: requested.searchParams.get('email'), day: requested.searchParams.get('day') }));
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(page);
  }));
});

describe.each(browserEngines)('useBrowser(%p)', (engine) => {
  const browser = useBrowser(engine);

  /** A page whose waits give up after 500 ms (read when it opens): for tests about the message, which spare the full 5 s. */
  async function openPageWaitingBriefly() {
    const limit = process.env.KATA_BROWSER_TIMEOUT;
    process.env.KATA_BROWSER_TIMEOUT = '500';
    return browser.openPage().finally(() => {
      if (limit === undefined) delete process.env.KATA_BROWSER_TIMEOUT;
      else process.env.KATA_BROWSER_TIMEOUT = limit;
    });
  }

  it('fills by label, clicks by role and name, and waits for what the page shows next', async () => {
    const tab = await browser.openPage();
    await tab.goto(url);

    await tab.fill('Email', 'ada@example.org');
    await tab.fill('Password', 'correct horse');
    await tab.fill('Day', '2026-02-28');
    await tab.click('button', 'Sign in');
    await tab.waitForText('Signed in as');

    expect(await tab.text('status')).toBe('Signed in as ada@example.org on 2026-02-28');
    expect(await tab.texts('listitem', { atLeast: 2 })).toEqual(['first', 'second']);
    expect(await tab.text('heading')).toBe('Sign in');
  });

  it('waits for a hidden alert to be shown before reading it', async () => {
    const tab = await browser.openPage();
    await tab.goto(url);

    await tab.fill('Email', 'not-an-email');
    await tab.click('button', /sign in/i);

    expect(await tab.text('alert')).toBe('Enter an email address');
  });

  it('replaces what a field holds when it fills it, and empties it with an empty value', async () => {
    const tab = await browser.openPage();
    await tab.goto(url);

    await tab.fill('Email', 'grace@example.org');
    await tab.fill('Email', 'ada@example.org');
    await tab.fill('Password', 'correct horse');
    await tab.fill('Password', '');

    expect(await tab.evaluate('[email.value, document.getElementById("password").value]')).toEqual(['ada@example.org', '']);
  });

  it('scrolls to what it clicks, and clicks once nothing covers it', async () => {
    const tab = await browser.openPage();
    await tab.goto(`${url}/veiled?for=300`);

    await tab.click('button', 'Go');

    expect(await tab.text('status')).toBe('Clicked');
  });

  it('fails naming what covers an element it was asked to click', async () => {
    const tab = await openPageWaitingBriefly();
    await tab.goto(`${url}/veiled?for=-1`);

    const error = await tab.click('button', 'Go').catch((e: unknown) => e);

    expect(String(error)).toMatch(/waited \d+ ms for role=button name="Go" to be visible and enabled, with nothing on top of it \(div#veil covers it and would take the click\)/);
    expect(await tab.text('status')).toBe('Waiting');
  });

  it('fails with what the page shows when nothing matches', async () => {
    const tab = await openPageWaitingBriefly();
    await tab.goto(url);
    await tab.waitForEnabled('button', 'Sign in');

    const error = await tab.click('button', 'Register').catch((e: unknown) => e);

    expect(String(error)).toMatch(/waited \d+ ms for role=button name="Register" to be visible and enabled: .*button "Sign in"/);
  });

  it('gives each page fresh storage', async () => {
    const first = await browser.openPage();
    await first.goto(url);
    await first.evaluate('localStorage.setItem("left", "behind")');
    await first.close();

    const second = await browser.openPage();
    await second.goto(url);

    expect(await second.evaluate('localStorage.getItem("left")')).toBeNull();
  });

  it('gives each page no cookie of the pages before', async () => {
    const first = await browser.openPage();
    await first.goto(url);
    await first.evaluate('document.cookie = "left=behind; max-age=3600"');
    expect(await first.evaluate('document.cookie')).toBe('left=behind');
    await first.close();

    const second = await browser.openPage();
    await second.goto(url);

    expect(await second.evaluate('document.cookie')).toBe('');
  });

  // WebKit's WebDriver session has one window: it shows one page at a time.
  (engine === 'webkit' ? it.skip : it)('gives pages open at the same time cookies of their own', async () => {
    const first = await browser.openPage();
    const second = await browser.openPage();
    await first.goto(url);
    await second.goto(url);

    await first.evaluate('document.cookie = "user=ada; max-age=3600"');

    expect(await second.evaluate('document.cookie')).toBe('');
  });

  // A page the browser counts as hidden gets animation frames throttled, and input
  // actions wait for frames: each click would take a second or more in the first page.
  (engine === 'webkit' ? it.skip : it)('shows pages open at the same time, each as a visible page', async () => {
    const first = await browser.openPage();
    const second = await browser.openPage();
    await first.goto(url);
    await second.goto(url);

    expect(await first.evaluate('document.visibilityState')).toBe('visible');
    expect(await second.evaluate('document.visibilityState')).toBe('visible');
  });
});

describe('a missing engine', () => {
  it('fails with the command that installs it, never skips', () => {
    const saved = process.env.KATA_FIREFOX;
    process.env.KATA_FIREFOX = '/nonexistent/firefox-esr';
    try {
      const check = checkEngine('firefox');

      expect(check.ready).toBe(false);
      expect(new BrowserMissingError(check).message).toMatch(
        /Firefox ESR \(Gecko\) is not available: no browser at \/nonexistent\/firefox-esr\. Install it: `sudo apt-get install -y --no-install-recommends firefox-esr`, then run `npm run setup`\./,
      );
    } finally {
      if (saved === undefined) delete process.env.KATA_FIREFOX;
      else process.env.KATA_FIREFOX = saved;
    }
  });
});
