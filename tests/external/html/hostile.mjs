// Loads every HTML page of a hostile course (tests/fixtures/hostile/scripts: raw <script>, <img
// onerror>, <svg onload> and <iframe> in every text field) in headless Chromium and proves no
// course script runs.
//
// Every payload in the fixture assigns `window.__pwned`. Before any page script runs, an init
// script makes that property a setter that reports to the test (through a Playwright binding)
// what ran: `script` for a <script>, else the event (`error`, `load`). So a payload that runs is
// seen, whatever it does afterwards. A control page holding the fixture's payload as live HTML
// must report all three kinds, or the detector is broken and the check fails; then every page of
// the build must report nothing. Besides: no dialog, no request leaving the build folder, no
// <iframe>, <img>, <script> or <svg> element from the course, every link with a safe scheme, and
// clicking the in-page links runs nothing either.
// Usage: node html/hostile.mjs <build dir> <the fixture's course.toml> <scratch dir>
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [buildDir, courseToml, scratch] = process.argv.slice(2).map((p) => resolve(p));
// The payload the fixture puts in every text field; the fixture must still hold it.
const PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror=window.__pwned=1><svg onload=window.__pwned=1></svg>';
if (!readFileSync(courseToml, 'utf8').includes(PAYLOAD)) {
  console.error(`FAIL: ${courseToml} no longer holds the payload this check watches for:\n${PAYLOAD}`);
  process.exit(1);
}

const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
const pages = walk(buildDir).filter((p) => p.endsWith('.html')).sort();
mkdirSync(scratch, { recursive: true });
const control = join(scratch, 'control.html');
writeFileSync(control, `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>control</title></head>\n<body><p>${PAYLOAD}</p></body></html>\n`);

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'coursepack-hostile-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const failures = [];
// Per page (tab): what ran there (`script`, `error`, `load`, …), in any of its frames.
const ran = new Map();
await context.exposeBinding('__coursepackRan', ({ page }, kind) => {
  ran.set(page, [...(ran.get(page) ?? []), kind]);
});
await context.addInitScript(() => {
  let value;
  Object.defineProperty(window, '__pwned', {
    configurable: false,
    get: () => value,
    set: (v) => {
      value = v;
      const kind = document.currentScript ? 'script' : (window.event ? window.event.type : 'other');
      window.__coursepackRan(kind);
    },
  });
});
const allowed = [pathToFileURL(buildDir).href, pathToFileURL(scratch).href];
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (allowed.some((prefix) => url.startsWith(prefix))) return route.continue();
  failures.push(`request leaving the build: ${url}`);
  return route.abort();
});

const load = async (path) => {
  const page = await context.newPage();
  page.on('dialog', async (dialog) => { failures.push(`${path}: a dialog opened: ${dialog.message()}`); await dialog.dismiss(); });
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  await page.waitForTimeout(50);
  return page;
};

// The detector must see the control page's payload run: a script, an onerror and an onload.
{
  const page = await load(control);
  const kinds = ran.get(page) ?? [];
  await page.close();
  for (const kind of ['script', 'error', 'load']) {
    if (!kinds.includes(kind)) {
      console.error(`FAIL: the detector is broken: the control page ran [${kinds.join(', ')}], not a ${kind}`);
      process.exit(1);
    }
  }
  console.error(`control page: the detector saw the live payload run (${kinds.join(', ')})`);
}

const safe = new Set(['http:', 'https:', 'mailto:', 'tel:', 'file:']);
let links = 0;
for (const path of pages) {
  const rel = path.slice(buildDir.length + 1);
  const page = await load(path);
  const ranOnLoad = ran.get(page) ?? [];
  if (ranOnLoad.length) failures.push(`${rel}: course scripts ran on load (${ranOnLoad.join(', ')})`);
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
  // Clicking a link must run nothing: click the in-page ones.
  for (const handle of await page.$$('a[href^="#"]')) {
    await handle.click({ timeout: 1000 }).catch(() => {});
  }
  const ranOnClick = (ran.get(page) ?? []).slice(ranOnLoad.length);
  if (ranOnClick.length) failures.push(`${rel}: course scripts ran on click (${ranOnClick.join(', ')})`);
  await page.close();
}
await context.close();
if (failures.length) {
  console.error(failures.join('\n'));
  console.error(`FAIL: the hostile course ran or loaded something (${failures.length} problems)`);
  process.exit(1);
}
console.error(`hostile course: ${pages.length} pages in Chromium, ${links} links, no script ran, nothing left the build`);
