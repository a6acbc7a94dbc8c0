// pages.test.mjs — every main page in Chromium: no WCAG 2.1 A or AA
// violation (axe-core), the keyboard, hostile content that must stay text,
// the print stylesheet, the editor's draft and warning, the layout at 360
// and 1280 px, and nothing loaded from elsewhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, watchedPage, login, audit } from './lib.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The main pages, by who reads them.
const PUBLIC = ['/', '/login', '/bodies', '/bodies/gt-sante', '/meetings', '/meetings/13',
  '/search?q=r%C3%A9union', '/reports/2020', '/mandates', '/communes', '/communes/91030', '/organisations', '/organisations/cai',
  '/actions', '/interpellations', '/letters', '/letters/1', '/motions',
  '/motions/commune-hospitaliere', '/motions/commune-hospitaliere/communes/91030',
  '/nulle-part', '/password/forgot', '/glossary', '/organisations/cmgv'];
const COORDINATOR = ['/', '/account', '/meetings/new', '/meetings/11', '/meetings/11/edit',
  '/meetings/11/prepare', '/meetings/11/history', '/letters/new', '/letters/1',
  '/motions/commune-hospitaliere/communes/91034', '/bodies/new', '/actions?mine=1', '/actions/1',
  '/actions/2', '/organisations/new', '/organisations/cpas-de-namur', '/organisations/cai/edit',
  '/motions/new', '/motions/commune-hospitaliere/edit', '/glossary', '/communes/92094',
  '/mandates/new', '/mandates/1/edit', '/bodies/coordination-locale-namur/reviews/2020'];
const ADMIN = ['/admin/users', '/admin/users/1', '/admin/outbox', '/admin/webhooks'];
const PARTNER = ['/', '/meetings?mine=1', '/actions?mine=1', '/actions/1'];
const BOARD = ['/'];

// Audits each page of paths on page; returns the violations found.
async function auditAll(page, paths) {
  const found = [];
  for (const path of paths) {
    await page.goto(server.url + path);
    for (const v of await audit(page)) found.push(`${path} : ${v}`);
  }
  return found;
}

test('aucune violation WCAG 2.1 A ou AA sur les pages principales', async () => {
  const anon = await watchedPage(browser, server);
  const coord = await watchedPage(browser, server);
  const admin = await watchedPage(browser, server);
  const partner = await watchedPage(browser, server);
  const board = await watchedPage(browser, server);
  await login(coord, server, server.accounts.coordinator);
  await login(admin, server, server.accounts.admin);
  await login(partner, server, server.accounts.partner);
  await login(board, server, server.accounts.board);
  // a contact's unsubscribe page, by the link its mails carry
  const token = execFileSync('sqlite3', [server.db, "INSERT INTO person (organisation_id, name, " +
    "email) SELECT id, 'Contact axe', 'axe@cpas.example' FROM organisation WHERE slug = " +
    "'cpas-de-namur'; SELECT unsubscribe_token FROM person WHERE email = 'axe@cpas.example';"],
  { encoding: 'utf8' }).trim();
  assert.match(token, /^[0-9a-f]{40}$/);
  const found = [...await auditAll(anon, [...PUBLIC, `/unsubscribe/${token}`]),
    ...await auditAll(coord, COORDINATOR),
    ...await auditAll(admin, ADMIN), ...await auditAll(partner, PARTNER),
    ...await auditAll(board, BOARD)];
  assert.deepEqual(found, []);
  for (const p of [anon, coord, admin, partner, board]) {
    assert.deepEqual(p.seen.external, []);
    await p.context().close();
  }
});

test('le clavier : lien d\'évitement, focus visible, erreurs annoncées', async () => {
  const page = await watchedPage(browser, server);
  await page.goto(server.url + '/bodies');
  await page.keyboard.press('Tab');
  const skip = page.locator('a.skip');
  assert.equal(await skip.evaluate((a) => a === document.activeElement), true);
  assert.ok(await skip.isVisible());
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'contenu');
  // every focusable element shows where the focus is
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  });
  assert.equal(outline, true);
  // a wrong password is announced
  await page.goto(server.url + '/login');
  await page.getByLabel('Adresse e-mail').fill('personne@example.be');
  await page.getByLabel('Mot de passe').fill('mauvais');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  assert.match(await page.getByRole('alert').innerText(), /incorrect/);
  await page.context().close();
});

test('un contenu hostile reste du texte : aucun dialogue, aucun script', async () => {
  const page = await watchedPage(browser, server);
  const csp = [];
  page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) csp.push(m.text()); });
  await login(page, server, server.accounts.coordinator);
  const payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>' +
    '<svg onload="alert(3)"></svg>';
  await page.goto(server.url + '/meetings/new?body=gt-sante');
  await page.getByLabel('Titre').fill('Séance ' + payload);
  await page.getByLabel('Date').fill('2030-03-03');
  await page.locator('#visibility').selectOption('public');
  await page.getByLabel(/Ordre du jour/).fill(payload + '\n\n[clic](javascript:alert(4)) ' +
    '<a href="javascript:alert(5)">lien</a> <iframe src="javascript:alert(6)"></iframe>');
  await page.getByLabel(/Procès-verbal/).fill('<details open ontoggle="alert(7)">x</details>\n\n' +
    '![image](https://evil.example/x.png) <style>body{display:none}</style>');
  await page.waitForTimeout(600); /* the live preview renders the payload too */
  await Promise.all([page.waitForURL(/\/meetings\/\d+$/), page.getByRole('button', { name: 'Enregistrer' }).click()]);
  const url = page.url();
  for (const target of [url, server.url + '/meetings', server.url + '/search?q=S%C3%A9ance',
    server.url + '/bodies/gt-sante']) {
    await page.goto(target);
    await page.waitForTimeout(200);
  }
  await page.goto(url);
  assert.match(await page.locator('h1').innerText(), /<img src=x onerror="alert\(1\)">/);
  assert.equal(await page.evaluate(() => document.querySelectorAll('main script, main iframe, main img[onerror], main svg[onload], main details[ontoggle]').length), 0);
  assert.equal(await page.locator('main a[href^="javascript"]').count(), 0);
  assert.deepEqual(page.seen.dialogs, []);
  assert.deepEqual(csp, []);
  assert.deepEqual(page.seen.errors, []);
  assert.deepEqual(page.seen.external, []);
  await page.context().close();
});

test('une réunion s\'imprime en A4 propre', async () => {
  const page = await watchedPage(browser, server);
  await login(page, server, server.accounts.coordinator);
  await page.goto(server.url + '/meetings/11');
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  const file = join(server.dir, 'reunion.pdf');
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  for (const expected of [/Coordination locale de Namur/, /15 septembre 2020/, /Présences/,
    /Ordre du jour/, /Procès-verbal/, /Actions/, /Compléter le cadastre/]) {
    assert.match(text, expected);
  }
  for (const absent of [/Se déconnecter/, /Rechercher/, /Instances\s+Réunions/, /Modifier/]) {
    assert.doesNotMatch(text, absent);
  }
  const pages = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  assert.match(pages, /Page size:.*\(A4\)/);
  await page.context().close();
});

test('le rapport d\'activités s\'imprime en A4, chaque chapitre sur sa page', async () => {
  const page = await watchedPage(browser, server);
  await login(page, server, server.accounts.coordinator);
  await page.goto(server.url + '/reports/2020');
  await page.emulateMedia({ media: 'print' });
  const file = join(server.dir, 'rapport.pdf');
  writeFileSync(file, await page.pdf({ format: 'A4', printBackground: false }));
  const pages = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f');
  const pageOf = (re) => pages.findIndex((text) => re.test(text));
  const chapters = [/Chiffres clés/, /Coordination d.activités d.accueil et d.intégration/,
    /^\s*Interpellation/m, /^\s*Instances/m, /^\s*Annexes/m];
  const at = chapters.map(pageOf);
  at.forEach((p, i) => assert.ok(p >= 0, `${chapters[i]} absent du PDF`));
  for (let i = 1; i < at.length; i++) assert.ok(at[i] > at[i - 1], `${chapters[i]} sur la page du chapitre d'avant`);
  for (const fact of [/Conseil d.administration/, /Gesves/, /adoptée par le collège/, /17 novembre 2020/,
    /arrêté le budget 2021/, /Participations institutionnelles/, /Sigles et acronymes/,
    /Plan provincial et local d.intégration/]) {
    assert.ok(pageOf(fact) >= 0, `${fact} absent du PDF`);
  }
  assert.ok(pageOf(/Les chiffres en CSV/) < 0, 'les liens de la page sont imprimés');
  assert.match(execFileSync('pdfinfo', [file], { encoding: 'utf8' }), /Page size:.*\(A4\)/);
  await page.context().close();
});

test('l\'éditeur : aperçu, brouillon repris après rechargement, alerte avant de partir', async () => {
  const page = await watchedPage(browser, server);
  await login(page, server, server.accounts.coordinator);
  await page.goto(server.url + '/meetings/11/edit');
  await page.getByLabel(/Ordre du jour/).fill('Un brouillon **précieux**');
  await page.locator('#agenda-preview strong', { hasText: 'précieux' }).waitFor();
  await page.reload();
  assert.equal(page.seen.unloads, 1); /* the reload asked before leaving */
  const notice = page.locator('#draft-notice');
  await notice.waitFor({ state: 'visible' });
  await page.getByRole('button', { name: 'Le reprendre' }).click();
  assert.equal(await page.getByLabel(/Ordre du jour/).inputValue(), 'Un brouillon **précieux**');
  // leaving with unsaved changes asks first; after saving, nothing asks
  await page.getByLabel(/Ordre du jour/).pressSequentially(' encore');
  await page.goto(server.url + '/meetings');
  assert.equal(page.seen.unloads, 2);
  await page.goto(server.url + '/meetings/11/edit');
  await page.locator('#draft-discard').click().catch(() => {});
  await Promise.all([page.waitForURL(/\/meetings\/11$/), page.getByRole('button', { name: 'Enregistrer' }).click()]);
  assert.equal(page.seen.unloads, 2);
  await page.context().close();
});

test('mise en page à 360 et 1280 px, captures sous tests/e2e/screenshots', async () => {
  const dir = 'tests/e2e/screenshots';
  mkdirSync(dir, { recursive: true });
  for (const width of [360, 1280]) {
    const page = await watchedPage(browser, server, { viewport: { width, height: 800 } });
    await login(page, server, server.accounts.coordinator);
    for (const path of ['/', '/meetings/11', '/interpellations', '/motions/commune-hospitaliere',
      '/search?q=r%C3%A9union', '/meetings/11/edit', '/meetings', '/actions', '/actions/1',
      '/organisations/cpas-de-namur', '/motions/new', '/glossary', '/communes/92094',
      '/reports/2020', '/mandates', '/bodies/coordination-locale-namur/reviews/2020']) {
      await page.goto(server.url + path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} à ${width} px déborde de ${overflow} px`);
      const name = path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'accueil';
      await page.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage: true });
    }
    assert.deepEqual(page.seen.external, []);
    await page.context().close();
    for (const who of ['partner', 'board']) {
      const home = await watchedPage(browser, server, { viewport: { width, height: 800 } });
      await login(home, server, server.accounts[who]);
      await home.goto(server.url + '/');
      const overflow = await home.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `l'accueil (${who}) à ${width} px déborde de ${overflow} px`);
      await home.screenshot({ path: join(dir, `accueil-${who}-${width}.png`), fullPage: true });
      await home.context().close();
    }
  }
});
