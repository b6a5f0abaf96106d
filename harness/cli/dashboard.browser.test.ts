import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { projectRoot } from '../config';
import { FakeClock } from './clock';
import { startDojo, type DojoEvent, type DojoSession } from './dojo';
import { ChromiumMissingError } from './errors';
import { createFixtureProject, type FixtureProject } from './test-fixture';

/**
 * The projector page in a real browser (Debian's Chromium). With
 * KATA_UPDATE_SCREENSHOT=1 it also refreshes docs/dojo-dashboard.png for the README.
 */
const executablePath = process.env.KATA_CHROMIUM ?? '/usr/bin/chromium';

describe('the dojo dashboard in Chromium', () => {
  let browser: Browser;
  let project: FixtureProject;
  let dojo: DojoSession;
  const events: DojoEvent[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
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
    if (process.env.KATA_UPDATE_SCREENSHOT === '1') {
      await page.screenshot({ path: path.join(projectRoot, 'docs', 'dojo-dashboard.png') });
    }

    clock.advance(5 * 60_000);
    await page.locator('[data-testid="driver"]', { hasText: /^Bo$/ }).waitFor();
    expect(await page.getByTestId('navigator').textContent()).toBe('Chi');
    await page.close();
  }, 30_000);
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met within 10 s');
}
