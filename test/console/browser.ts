import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { buildConsole } from '../../console/build';
import { checkAccessibility } from './accessibility';

export const SCREENSHOTS = resolve('.cache', 'console-screenshots');
/** Debian's package unless CHROMIUM_PATH names another build (as in .ci/run). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A fresh console build and a headless Chromium page on it, keeping what every page showed of
 * accessibility and every script error, for a suite's last test to assert on.
 */
export async function openBrowser(
  options: { screenshotPrefix?: string; timezoneId?: string } = {},
) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await buildConsole();
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const page: Page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const accessibility: Record<string, Awaited<ReturnType<typeof checkAccessibility>>> = {};
  return {
    browser,
    page,
    pageErrors,
    accessibility,
    /** Saves the page as it is, and checks labels and contrast on it while it is there. */
    async capture(name: string) {
      await page.screenshot({
        path: join(SCREENSHOTS, `${options.screenshotPrefix ?? ''}${name}.png`),
        fullPage: true,
      });
      accessibility[name] = await checkAccessibility(page);
    },
    statusBadge: () => page.locator('h1 .badge'),
    operationProgress: () =>
      page
        .getByRole('progressbar', { name: 'Operation progress' })
        .evaluate((bar) => (bar as { value: number }).value),
  };
}

export type ConsoleBrowser = Awaited<ReturnType<typeof openBrowser>>;
