/*
 * Wrong solutions these specs catch:
 * - an app that works when a spec hand-delivers the callback but not in a browser:
 *   a redirect_uri that differs from the registered one (the provider refuses to
 *   show its login page), or a session lost between /auth/google and the callback;
 * - matching accounts by e-mail only: /me shows no googleSub.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from '../../../harness/setup/browser';
import { accounts, useGoogleLoginApp } from './fixtures';

const world = useGoogleLoginApp();

let browser: Browser | undefined;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

describe('4. Accounts keyed by sub, linked only by a verified e-mail', () => {
  describe('signing in with the provider, in a real browser', () => {
    it('goes through the provider\'s login and consent pages and lands on /me as that account', async () => {
      const context = await browser!.newContext();
      // Fail within the test's time with Playwright's message (which element never appeared).
      context.setDefaultTimeout(8_000);
      // Only this machine: the provider's pages ask for a web font, which must not leave it.
      await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
      const page = await context.newPage();

      await page.goto(`${world.url}/auth/google`);
      await page.fill('input[name="login"]', accounts.grace.sub);
      await page.fill('input[name="password"]', 'any password will do here');
      await page.getByRole('button', { name: 'Sign-in' }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${world.url}/me`);
      const profile = JSON.parse(await page.locator('body').innerText()) as Record<string, unknown>;
      await context.close();

      expect(profile).toMatchObject({ email: accounts.grace.email, name: accounts.grace.name, googleSub: accounts.grace.sub });
    });
  });
});
