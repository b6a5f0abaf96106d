import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { BrowserMissingError, checkEngine } from '../browser/engines';
import { projectRoot, readBrowserConfig } from '../config';
import { FakeClock } from './clock';
import { startDojo, type DojoEvent, type DojoSession } from './dojo';
import { createFixtureProject, type FixtureProject } from './test-fixture';

/**
 * The projector page in a real browser (Debian's Chromium, as the browser specs find it). With
 * KATA_UPDATE_SCREENSHOT=1 it also refreshes docs/dojo-dashboard.png for the README,
 * from a session on a real kata.
 */
const executablePath = readBrowserConfig().chromium;

describe('the dojo dashboard in Chromium', () => {
  let browser: Browser;
  let project: FixtureProject;
  let dojo: DojoSession;
  const events: DojoEvent[] = [];

  beforeAll(async () => {
    // A missing Chromium fails with the install command the browser specs give.
    const check = checkEngine('chromium');
    if (!check.ready) throw new BrowserMissingError(check);
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await dojo?.end();
    await browser?.close();
    project?.remove();
  });

  it('shows timer, driver and navigator, and turns the spec list green live as a save makes a test pass', async () => {
    project = createFixtureProject();
    const clock = new FakeClock();
    dojo = await startDojo({ cwd: project.cwd, kata: 'basics/add', people: ['Ana', 'Bo', 'Chi'], minutes: 5, clock, onEvent: (e) => events.push(e), logFile: path.join(project.cwd, 'session.md') });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(dojo.url!);

    await expect(page.getByTestId('driver').textContent()).resolves.toBeTruthy();
    await page.locator('[data-testid="specs"] li').nth(1).waitFor();
    const before = await page.locator('[data-testid="specs"] li.passed').count();
    project.write('katas/basics/add/src/add.js', 'exports.add = (a, b) => (a === 1 ? 3 : 0);\n');
    await waitUntil(() => events.some((e) => e.type === 'change'));
    clock.advance(40);
    await page.waitForSelector('[data-testid="specs"] li.passed');

    expect(before).toBe(0);
    expect(await page.getByTestId('driver').textContent()).toBe('Ana');
    expect(await page.getByTestId('navigator').textContent()).toBe('Bo');
    expect(await page.getByTestId('timer').textContent()).toBe('05:00');
    expect(await page.getByTestId('progress').textContent()).toBe('1/2');
    expect(await page.locator('[data-testid="specs"] li.passed').allTextContents()).toEqual(['add adds two positive numbers']);
    await page.locator('[data-testid="news"]', { hasText: 'Ana turned' }).waitFor();

    clock.advance(5 * 60_000);
    await page.locator('[data-testid="driver"]', { hasText: /^Bo$/ }).waitFor();
    expect(await page.getByTestId('navigator').textContent()).toBe('Chi');
    await page.close();
  }, 30_000);

  it('fits a real 24-spec kata on a 1280×720 projector, and paints it from the server before any script runs', async () => {
    // The group's session runs the learner's real starter: its progress is not the dojo's to record.
    const progress = process.env.KATA_PROGRESS;
    process.env.KATA_PROGRESS = 'off';
    const clock = new FakeClock();
    const results: DojoEvent[] = [];
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-log-'));
    const real = await startDojo({
      cwd: projectRoot,
      kata: 'errors/global-handler',
      people: ['Ana', 'Bo', 'Chi'],
      minutes: 5,
      clock,
      onEvent: (e) => e.type === 'result' && results.push(e),
      logFile: path.join(logDir, 'session.md'),
    });
    try {
      await waitUntil(() => results.length > 0, 120_000);
      clock.advance(5 * 60_000);

      // No JavaScript: what a projector shows before the script and Socket.io are up.
      const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 720 } });
      const first = await noScript.newPage();
      await first.goto(real.url!);
      expect(await first.getByTestId('timer').textContent()).toBe('05:00');
      expect(await first.getByTestId('driver').textContent()).toBe('Bo');
      expect(await first.getByTestId('kata').textContent()).toBe('errors/global-handler');
      expect(await first.locator('[data-testid="specs"] li').count()).toBe(24);
      expect(await first.getByTestId('news').textContent()).toContain('Rotate: Bo drives, Chi navigates.');
      await noScript.close();

      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(real.url!);
      await page.locator('[data-testid="specs"] li').nth(23).waitFor();
      // A string, run in the page: this project's TypeScript has no DOM types.
      const layout = (await page.evaluate(`(() => {
        const box = (testId) => document.querySelector('[data-testid="' + testId + '"]').getBoundingClientRect();
        const list = box('specs');
        const items = [...document.querySelectorAll('[data-testid="specs"] li')].map((li) => li.getBoundingClientRect());
        return {
          scrolls: document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth,
          timerBottom: box('timer').bottom,
          newsBottom: box('news').bottom,
          newsText: document.querySelector('[data-testid="news"]').textContent,
          itemsInside: items.filter((r) => r.top >= list.top && r.bottom <= list.bottom && r.right <= list.right).length,
        };
      })()`)) as { scrolls: boolean; timerBottom: number; newsBottom: number; newsText: string; itemsInside: number };
      expect(layout).toEqual({ scrolls: false, timerBottom: expect.any(Number), newsBottom: expect.any(Number), newsText: expect.stringContaining('Rotate'), itemsInside: 24 });
      expect(layout.timerBottom).toBeLessThanOrEqual(720);
      expect(layout.newsBottom).toBeLessThanOrEqual(720);
      if (process.env.KATA_UPDATE_SCREENSHOT === '1') {
        await page.screenshot({ path: path.join(projectRoot, 'docs', 'dojo-dashboard.png') });
      }
      await page.close();
    } finally {
      await real.end();
      fs.rmSync(logDir, { recursive: true, force: true });
      if (progress === undefined) delete process.env.KATA_PROGRESS;
      else process.env.KATA_PROGRESS = progress;
    }
  }, 180_000);
});

/** Polls a condition the dojo's events set; the limit only stops a run that hung. */
async function waitUntil(condition: () => boolean, limitMs = 10_000): Promise<void> {
  for (const started = Date.now(); Date.now() - started < limitMs; ) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`condition not met within ${limitMs / 1000} s`);
}
