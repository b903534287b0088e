// Accessibility (axe-core), phone-width layout, print layout (PDF via Chromium) and screenshots
// for a built course. Usage: node html/check.mjs <build dir> <screenshot dir> <pdf dir>
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const [buildDir, shotDir, pdfDir] = process.argv.slice(2).map((p) => resolve(p));
mkdirSync(shotDir, { recursive: true });
mkdirSync(pdfDir, { recursive: true });

const first = (dir, suffix) =>
  existsSync(join(buildDir, dir)) ? readdirSync(join(buildDir, dir)).filter((f) => f.endsWith(suffix)).sort()[0] : undefined;
const allPages = {
  index: 'index.html',
  handbook: 'learner/handbook.html',
  module: `learner/modules/${first('learner/modules', '.html')}`,
  check: `learner/checks/${first('learner/checks', '.html')}`,
  form: 'exam/form-a.html',
  key: 'exam/form-a-key.html',
  'check-key': `instructor/checks/${first('instructor/checks', '.html')}`,
  activity: `instructor/activities/${first('instructor/activities', '.html')}`,
  guide: 'instructor/guide.html',
  blueprint: 'exam/blueprint.html',
  outline: 'instructor/outline.html',
  // A course without scored activities has no evaluation forms.
  ...(first('instructor/evaluations', '.html') ? { evaluation: `instructor/evaluations/${first('instructor/evaluations', '.html')}` } : {}),
  ...(first('learner/handouts', '.html') ? { handout: `learner/handouts/${first('learner/handouts', '.html')}` } : {}),
};
// A course without [exam] has no exam pages.
const pages = Object.fromEntries(Object.entries(allPages).filter(([, rel]) => existsSync(join(buildDir, rel))));

// A fresh profile every run (Playwright passes it to Chromium as --user-data-dir).
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'coursepack-chromium-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1100, height: 900 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const failures = [];
const fail = (message) => { failures.push(message); console.error(`FAIL ${message}`); };

try {
  // Every page must work offline: any request that is not a file is a failure.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    fail(`network request to ${url}`);
    return route.abort();
  });
  for (const [name, rel] of Object.entries(pages)) {
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(buildDir, rel)).href);
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    for (const v of result.violations) {
      fail(`${rel}: axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
    }
    console.log(`${rel}: ${result.violations.length} axe violations, ${result.passes.length} rules passed`);
    await page.screenshot({ path: join(shotDir, `${name}.png`), fullPage: false });

    // Phone width: nothing may force sideways scrolling of the page.
    await page.setViewportSize({ width: 375, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 1) fail(`${rel}: at 375 px the page is ${overflow}px wider than the screen`);
    await page.screenshot({ path: join(shotDir, `${name}-phone.png`), fullPage: false });

    // Paper: in print media at A4 text width, no table or block is wider than the page.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 675, height: 1000 });
    const cut = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll('main table, main pre, main img, main .role-card')]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .map((el) => `${el.tagName.toLowerCase()} ${Math.round(el.getBoundingClientRect().right)}px > ${width}px`);
    });
    for (const c of cut) fail(`${rel}: cut at the page edge in print: ${c}`);
    await page.close();
  }

  // PDFs for pdftotext to inspect page breaks.
  for (const [name, rel] of [['handbook', pages.handbook], ['activity', pages.activity], ['guide', pages.guide], ['evaluation', pages.evaluation]]) {
    if (!rel) continue;
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(buildDir, rel)).href);
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: join(pdfDir, `${name}.pdf`), format: 'A4', preferCSSPageSize: true });
    await page.close();
  }
} finally {
  await context.close();
}
if (failures.length) {
  console.error(`${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log('browser checks: all passed');
