// layout.test.mjs — every page at 360 px (a phone) and at 1280 px in
// Chromium: nothing scrolls sideways, no text is smaller than 11 px
// (computed styles; SVG text as drawn, after the drawing's scaling), the
// header takes at most 64 px, holds on one line at 1280 px, and its
// « Menu » button opens the navigation without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, watchedPage, login } from './lib.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The pages, by who reads them.
const PAGES = {
  anonymous: ['/', '/login', '/bodies', '/bodies/gt-sante', '/meetings', '/meetings/13',
    '/search?q=r%C3%A9union', '/communes', '/communes/91030', '/organisations',
    '/organisations/cai', '/actions', '/interpellations', '/letters', '/letters/1', '/motions',
    '/motions/commune-hospitaliere', '/motions/commune-hospitaliere/communes/91030',
    '/nulle-part', '/password/forgot', '/glossary', '/files/2',
    '/bodies/plateforme-accompagnement-social-juridique', '/reports/2020', '/mandates',
    '/bodies/coordination-locale-namur', '/organisations/cmgv'],
  coordinator: ['/', '/account', '/meetings/new', '/meetings/11', '/meetings/11/edit',
    '/meetings/11/prepare', '/meetings/11/history', '/meetings/11/delete', '/letters/new',
    '/letters/1', '/motions/commune-hospitaliere/communes/91034', '/bodies/new',
    '/actions?mine=1', '/actions/1', '/organisations/new', '/organisations/cpas-de-namur',
    '/organisations/cai/edit', '/motions/new', '/motions/commune-hospitaliere/edit',
    '/glossary', '/communes/92094', '/interpellations', '/motions/commune-hospitaliere',
    '/files/1', '/bodies/plateforme-accompagnement-social-juridique',
    '/bodies/coordination-locale-namur/polls/new', '/reports/2020', '/mandates', '/mandates/new',
    '/mandates/1/edit', '/bodies/coordination-locale-namur/reviews/2020', '/organisations/cmgv'],
  admin: ['/admin/users', '/admin/users/1', '/admin/outbox', '/admin/webhooks'],
  partner: ['/', '/meetings?mine=1', '/actions?mine=1'],
  board: ['/'],
};

// What breaks the layout of the page now shown: sideways scrolling, text
// under 11 px, a number (a year, a count) cut over two lines, the header's
// height.
async function measure(page) {
  return page.evaluate(() => {
    const small = [];
    const cut = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || !el) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || el.closest('[hidden], details:not([open]) > :not(summary)')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      if (el.closest('.visually-hidden, .skip')) continue;
      let size = parseFloat(style.fontSize);
      if (el instanceof SVGElement && el.ownerSVGElement) {
        const m = el.getScreenCTM();
        size *= m ? Math.sqrt(m.a * m.a + m.b * m.b) : 1;
      }
      if (size < 10.95) small.push(`« ${n.textContent.trim().slice(0, 30)} » ${size.toFixed(1)} px`);
      if (/^\d{2,9}$/.test(n.textContent.trim()) && !(el instanceof SVGElement)) {
        const range = document.createRange();
        range.selectNodeContents(n);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) cut.push(`« ${n.textContent.trim()} »`);
      }
    }
    const header = document.querySelector('header.site');
    return {
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      small: small.slice(0, 5),
      cut: cut.slice(0, 5),
      header: header ? header.getBoundingClientRect().height : 0,
    };
  });
}

for (const width of [360, 1280]) {
  test(`chaque page à ${width} px : pas de défilement de côté, texte de 11 px au moins, aucun nombre coupé, en-tête de 64 px au plus`, async () => {
    const problems = [];
    for (const [who, paths] of Object.entries(PAGES)) {
      const page = await watchedPage(browser, server, { viewport: { width, height: 800 } });
      if (who !== 'anonymous') await login(page, server, server.accounts[who === 'coordinator' ? 'coordinator' : who]);
      for (const path of paths) {
        await page.goto(server.url + path);
        const m = await measure(page);
        if (m.overflow > 0) problems.push(`${path} (${who}) déborde de ${m.overflow} px`);
        if (m.small.length) problems.push(`${path} (${who}) : texte trop petit ${m.small.join(', ')}`);
        if (m.cut.length) problems.push(`${path} (${who}) : nombre coupé ${m.cut.join(', ')}`);
        if (m.header > 64) problems.push(`${path} (${who}) : en-tête de ${Math.round(m.header)} px`);
      }
      assert.deepEqual(page.seen.external, []);
      await page.context().close();
    }
    assert.deepEqual(problems, []);
  });
}

test('à 360 px, le bouton « Menu » ouvre la navigation, même sans JavaScript', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const page = await watchedPage(browser, server, { viewport: { width: 360, height: 800 }, javaScriptEnabled });
    await page.goto(server.url + '/meetings');
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    assert.equal(await nav.getByRole('link', { name: 'Réunions' }).isVisible(), false);
    await page.getByText('Menu', { exact: true }).click();
    assert.equal(await nav.getByRole('link', { name: 'Réunions' }).isVisible(), true);
    await nav.getByRole('link', { name: 'Communes' }).click();
    await page.waitForURL(/\/communes$/);
    await page.context().close();
  }
});

test('à 1280 px, la navigation est visible sans bouton, sur une ligne', async () => {
  const page = await watchedPage(browser, server, { viewport: { width: 1280, height: 800 } });
  await login(page, server, server.accounts.admin);
  await page.goto(server.url + '/meetings');
  assert.equal(await page.getByText('Menu', { exact: true }).isVisible(), false);
  const links = await page.locator('header.site nav a').evaluateAll((as) => as.map((a) => a.getBoundingClientRect().top));
  assert.ok(links.length >= 5);
  assert.equal(new Set(links.map((t) => Math.round(t))).size, 1, 'les liens de navigation tiennent sur une ligne');
  await page.context().close();
});
