// What the browser tests share: Debian's Chromium through Playwright, people signing up through the web app's own
// form, screenshots, and the check that every control has an accessible name.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { uniqueName } from './helpers.js';

const SHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Flags that work in containers and without network access beyond the server under test.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TIMEOUT = 20_000;

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1200, height: 800 };

/** Debian's Chromium, headless; the screenshot folder made. */
export async function launchChromium() {
  assert.ok(existsSync(CHROMIUM), `Chromium is not at ${CHROMIUM} (apt-get install chromium)`);
  await mkdir(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 60_000 });
}

/** @param {import('playwright-core').Page} page @param {string} name */
export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/**
 * Opens the app in a fresh context and creates an account through the form.
 * @param {import('playwright-core').Browser} browser
 * @param {string} baseUrl
 * @param {{width: number, height: number}} viewport
 * @param {string} displayName
 * @param {string} [screenshot]
 * @param {(context: import('playwright-core').BrowserContext) => Promise<void>} [prepare] before the page opens
 */
export async function person(browser, baseUrl, viewport, displayName, screenshot, prepare) {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  await prepare?.(context);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('dialog', (dialog) => void dialog.accept());
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await page.getByRole('tab', { name: 'Create account' }).click();
  const form = page.locator('#register-form');
  const username = uniqueName(displayName.toLowerCase());
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Display name').fill(displayName);
  await form.getByLabel('Password').fill('correct horse battery');
  if (screenshot) {
    await shot(page, screenshot);
  }
  await form.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'New chat' }).waitFor();
  return { context, page, username, errors };
}

/** @typedef {Awaited<ReturnType<typeof person>>} Person */

/** @param {import('playwright-core').Page} page */
export function messages(page) {
  return page.locator('#message-list');
}

/**
 * Runs a scenario with these people; on failure, what each saw lands beside the other screenshots. Their browser
 * contexts are closed in any case.
 * @param {Record<string, Person>} people
 * @param {() => Promise<void>} scenario
 */
export async function withPeople(people, scenario) {
  try {
    await scenario();
  } catch (error) {
    for (const [name, who] of Object.entries(people)) {
      await shot(who.page, `failure-${name}`).catch(() => {});
    }
    throw error;
  } finally {
    for (const who of Object.values(people)) {
      await who.context.close();
    }
  }
}

/**
 * Buttons and form fields without an accessible name (aria-label, aria-labelledby, a label, or a button's text).
 * @param {import('playwright-core').Page} page
 * @returns {Promise<string[]>}
 */
export function unnamedControls(page) {
  return page.evaluate(() => {
    const found = [];
    for (const element of document.querySelectorAll('button, input, textarea, select')) {
      const el = /** @type {HTMLElement & {labels?: NodeListOf<HTMLLabelElement>}} */ (element);
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
        || (el.labels && el.labels.length > 0) || (el.tagName === 'BUTTON' && el.textContent?.trim());
      if (!named) {
        found.push(el.outerHTML.slice(0, 80));
      }
    }
    return found;
  });
}
