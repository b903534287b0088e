// Live reload of `coursepack serve` in headless Chromium. Usage:
// node html/serve.mjs <server url> <module toml to edit>
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, moduleFile] = process.argv.slice(2);
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'coursepack-chromium-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
const fail = (message) => { failed = true; console.error(`FAIL ${message}`); };
try {
  const page = await context.newPage();
  await page.goto(new URL('learner/modules/first-module.html', base).href);
  const h1 = await page.textContent('h1');
  if (!h1.includes('First Module')) fail(`the module page shows "${h1}"`);

  // Edit the source as an author would; the open page must follow without being told.
  const source = readFileSync(moduleFile, 'utf8');
  writeFileSync(moduleFile, source.replace('title = "First Module"', 'title = "Listening Under Pressure"'));
  try {
    await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('Listening Under Pressure'), null, { timeout: 10000 });
  } catch {
    fail(`the page did not reload with the new title; it shows "${await page.textContent('h1')}"`);
  }

  // Break the TOML: the page shows the diagnostic instead of the stale handout.
  writeFileSync(moduleFile, source.replace('title = "First Module"', 'title = "First Module'));
  try {
    await page.waitForSelector('#coursepack-diagnostics', { timeout: 10000 });
    const text = await page.textContent('#coursepack-diagnostics');
    if (!/error\[E005\]/.test(text) || !text.includes('first-module.toml')) fail(`the diagnostic page shows: ${text}`);
  } catch {
    fail('the page did not show the diagnostics of the broken TOML');
  }

  // Fix it again: the handout comes back.
  writeFileSync(moduleFile, source);
  try {
    await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('First Module'), null, { timeout: 10000 });
  } catch {
    fail('the page did not come back after the fix');
  }
} finally {
  await context.close();
}
if (failed) process.exit(1);
console.error('serve.mjs: reload on edit, diagnostics on error, recovery on fix');
