/**
 * `npx tsx perf/screenshot.ts report.html docs/cache-aside-report.png`
 *
 * Takes a picture of a perf HTML report (`--html`) in the project's Chromium
 * (Debian's, through playwright-core, as the browser specs use it): the whole
 * page at 1280 px wide, once its charts are drawn. perf/README.md shows one.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { readBrowserConfig } from '../harness/config';

async function main(): Promise<void> {
  const [html, png] = process.argv.slice(2);
  if (!html || !png) throw new Error('usage: npx tsx perf/screenshot.ts <report.html> <picture.png>');
  const browser = await chromium.launch({ executablePath: readBrowserConfig().chromium, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(pathToFileURL(path.resolve(html)).href);
    // The page draws its charts in a script at the end of <body>, without animation:
    // once every canvas has a Chart attached, the picture is complete.
    // (A string: it runs in the page, and this project compiles without the DOM's types.)
    await page.waitForFunction(
      "[...document.querySelectorAll('canvas')].every((canvas) => window.Chart && Chart.getChart(canvas)) && document.querySelectorAll('canvas').length > 0",
    );
    await page.screenshot({ path: png, fullPage: true });
  } finally {
    await browser.close();
  }
  process.stdout.write(`${path.resolve(png)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
