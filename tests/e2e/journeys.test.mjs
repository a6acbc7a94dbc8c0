// journeys.test.mjs — the users' journeys in Chromium: a coordinator runs
// a meeting from invitation to approved minutes, a partner finds and reads
// it, a board member reviews the interpellations, an anonymous visitor
// reads only what is public, an administrator opens an account whose new
// partner chooses a password and works from her home on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, watchedPage, login, audit } from './lib.mjs';

let server, browser;
const WORD = 'tournesol';

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Checks nothing went wrong in the page: no dialog, no error, nothing
// loaded from elsewhere.
function clean(page) {
  assert.deepEqual(page.seen.dialogs, []);
  assert.deepEqual(page.seen.errors, []);
  assert.deepEqual(page.seen.external, []);
}

test('une coordinatrice prépare, annonce et clôt une réunion de groupe de travail', async () => {
  const page = await watchedPage(browser, server);
  await login(page, server, server.accounts.coordinator);
  await page.goto(server.url + '/meetings/new?body=gt-sante');
  await page.getByLabel('Titre').fill('GT santé — printemps');
  await page.getByLabel('Date').fill('2030-04-15');
  await page.getByLabel('Début').fill('09:30');
  await page.getByLabel('Fin').fill('12:00');
  await page.getByLabel('Lieu').fill('Salle du conseil, Namur');
  await page.locator('#visibility').selectOption('public');
  await page.getByLabel(/Ordre du jour/).fill('## Accueil\n\n1. Tour de table\n2. Le **cadastre** des opérateurs');
  await page.locator('#agenda-preview strong', { hasText: 'cadastre' }).waitFor();
  assert.match(await page.locator('#agenda-preview h2').innerText(), /Accueil/);
  await Promise.all([page.waitForURL(/\/meetings\/\d+$/), page.getByRole('button', { name: 'Enregistrer' }).click()]);
  const meeting = page.url();
  await Promise.all([page.waitForURL(/invited=/), page.getByRole('button', { name: "Envoyer l'invitation" }).click()]);
  assert.match(await page.getByRole('status').innerText(), /L'invitation part vers [1-9]\d* adresse/);
  // after the meeting: the minutes with two actions, approved
  await page.goto(meeting + '/edit');
  await page.getByLabel(/Procès-verbal/).fill(`Le ${WORD} du quartier est présenté.\n\n` +
    '- [ ] Envoyer la liste des permanences @cpas-de-namur 2030-05-01\n' +
    '- [ ] Mettre à jour le cadastre @CAI 2030-05-15\n');
  await page.locator('#minutes-preview input[type=checkbox]').nth(1).waitFor();
  await page.locator('#status').selectOption('minutes_approved');
  await Promise.all([page.waitForURL(meeting), page.getByRole('button', { name: 'Enregistrer' }).click()]);
  assert.match(await page.locator('dl.facts').innerText(), /procès-verbal approuvé/);
  const actions = page.locator('section[aria-labelledby=actions] li');
  assert.equal(await actions.count(), 2);
  assert.match(await actions.nth(0).innerText(), /Envoyer la liste des permanences/);
  clean(page);
  await page.context().close();
});

test('une partenaire retrouve la réunion, lit le procès-verbal, s\'abonne à l\'agenda', async () => {
  const page = await watchedPage(browser, server);
  await login(page, server, server.accounts.partner);
  await page.getByRole('searchbox', { name: 'Rechercher dans tout le réseau' }).fill(WORD);
  await Promise.all([page.waitForURL(/\/search\?/), page.keyboard.press('Enter')]);
  const hit = page.locator('ol.results a', { hasText: 'printemps' });
  await hit.first().waitFor();
  assert.match(await page.locator('ol.results mark').first().innerText(), new RegExp(WORD));
  await Promise.all([page.waitForURL(/\/meetings\/\d+$/), hit.first().click()]);
  assert.match(await page.locator('section[aria-labelledby=minutes]').innerText(), new RegExp(WORD));
  // the personal calendar
  await page.goto(server.url + '/account');
  await page.getByRole('button', { name: 'Créer le lien' }).click();
  const link = await page.locator('code.secret').innerText();
  assert.match(link, /\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  const ics = await (await page.request.get(link.replace(/^https?:\/\/[^/]+/, server.url))).text();
  assert.match(ics, /^BEGIN:VCALENDAR/);
  assert.match(ics, /SUMMARY:GT santé — printemps/);
  // the organisation's open action
  await page.goto(server.url + '/actions?mine=1');
  assert.match(await page.locator('main').innerText(), /Envoyer la liste des permanences/);
  assert.doesNotMatch(await page.locator('main').innerText(), /Mettre à jour le cadastre/);
  clean(page);
  await page.context().close();
});

test('un membre du conseil parcourt les interpellations, ouvre une commune, exporte le CSV', async () => {
  const page = await watchedPage(browser, server, { acceptDownloads: true });
  await login(page, server, server.accounts.board);
  await page.goto(server.url + '/interpellations');
  await page.locator('#f-year').selectOption('2020');
  await page.locator('#f-level').selectOption('federal');
  await Promise.all([page.waitForURL(/level=federal/), page.getByRole('button', { name: 'Filtrer' }).click()]);
  const items = page.locator('ul.letters > li');
  assert.ok(await items.count() >= 3);
  for (const text of await items.allInnerTexts()) assert.match(text, /fédéral/);
  assert.match(await page.locator('figure.chart svg').innerHTML(), /fédéral/);
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('link', { name: /CSV/ }).click()]);
  const csv = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFFdate;titre;'));
  assert.equal(csv.trim().split('\r\n').length, await items.count() + 1);
  // a commune from the map
  await page.goto(server.url + '/motions/commune-hospitaliere');
  await Promise.all([page.waitForURL(/\/communes\/91030$/), page.locator('figure.map a[href$="/communes/91030"]').click()]);
  assert.match(await page.locator('h1').innerText(), /Ciney/);
  assert.match(await page.locator('main').innerText(), /votée par le conseil/);
  clean(page);
  await page.context().close();
});

test('un visiteur anonyme lit une réunion publique, pas une réunion réservée', async () => {
  const page = await watchedPage(browser, server);
  await page.goto(server.url + '/meetings');
  const links = page.locator('ul.meetings a');
  assert.ok(await links.count() >= 1);
  await Promise.all([page.waitForURL(/\/meetings\/\d+$/), links.first().click()]);
  assert.equal(await page.locator('h1').count(), 1);
  const reserved = await page.request.get(server.url + '/meetings/11');
  assert.equal(reserved.status(), 404);
  const response = await page.goto(server.url + '/meetings/11');
  assert.equal(response.status(), 404);
  assert.match(await page.locator('main').innerText(), /introuvable/i);
  page.seen.errors = page.seen.errors.filter((e) => !/status of 404/.test(e)); /* the page asked */
  clean(page);
  await page.context().close();
});

// Returns the text of the first mail of the server's outbox folder sent to
// address (its base64 parts decoded), waiting up to 15 s for it.
async function mailTo(address) {
  const dir = join(server.dir, 'outbox');
  for (let i = 0; i < 150; i++) {
    let names = [];
    try { names = readdirSync(dir).filter((n) => n.endsWith('.eml')); } catch { /* not yet */ }
    for (const name of names) {
      const raw = readFileSync(join(dir, name), 'utf8');
      if (!raw.includes(`To: <${address}>`)) continue;
      const blocks = [];
      let block = '';
      for (const line of raw.split(/\r?\n/)) {
        if (/^[A-Za-z0-9+/]{8,}={0,2}$/.test(line)) block += line;
        else if (block) blocks.push(block), block = '';
      }
      return blocks.map((b) => Buffer.from(b, 'base64').toString('utf8')).join('\n');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`aucun courrier pour ${address}`);
}

test('une administratrice ouvre un compte ; la partenaire choisit son mot de passe et travaille depuis son accueil (360 px)', async () => {
  const admin = await watchedPage(browser, server);
  await login(admin, server, server.accounts.admin);
  await admin.goto(server.url + '/admin/users');
  await admin.getByLabel('Adresse e-mail').fill('nouvelle.partenaire@cpas.example');
  await admin.getByLabel('Nom').fill('Nouvelle Partenaire');
  await admin.getByLabel('Rôle').selectOption('partner');
  await admin.getByLabel(/^Organisation/).selectOption('cpas-de-namur');
  await Promise.all([admin.waitForURL(/\/admin\/users\/\d+\?sent=1$/),
    admin.getByRole('button', { name: 'Créer le compte et envoyer le lien' }).click()]);
  assert.match(await admin.getByRole('status').innerText(), /Le lien pour choisir le mot de passe est parti/);
  assert.deepEqual(await audit(admin), []);
  clean(admin);
  await admin.context().close();

  const text = await mailTo('nouvelle.partenaire@cpas.example');
  const link = text.match(/https?:\/\/\S+\/password\/[A-Za-z0-9_-]{43}/)?.[0];
  assert.ok(link, 'le courrier porte le lien');
  const phone = await watchedPage(browser, server, { viewport: { width: 360, height: 800 } });
  await phone.goto(link.replace(/^https?:\/\/[^/]+/, server.url));
  assert.deepEqual(await audit(phone), []);
  await phone.getByLabel(/Nouveau mot de passe/).fill('le printemps de Namur');
  await phone.getByLabel('Le même, une seconde fois').fill('le printemps de Namur');
  await Promise.all([phone.waitForURL(/\/login\?password=1$/),
    phone.getByRole('button', { name: 'Enregistrer le mot de passe' }).click()]);
  assert.match(await phone.getByRole('status').innerText(), /mot de passe est enregistré/);
  await login(phone, server, { email: 'nouvelle.partenaire@cpas.example', password: 'le printemps de Namur' });
  assert.equal(new URL(phone.url()).pathname, '/');
  assert.match(await phone.locator('#h-bodies + ul').innerText(), /Coordination locale de Namur/);
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  assert.deepEqual(await audit(phone), []);
  // the action the coordinator gave her organisation: done from the home
  const action = phone.locator('section[aria-labelledby=h-actions] li', { hasText: 'Envoyer la liste des permanences' });
  await Promise.all([phone.waitForURL(server.url + '/'),
    action.getByRole('button', { name: /Marquer comme faite/ }).click()]);
  assert.doesNotMatch(await phone.locator('section[aria-labelledby=h-actions]').innerText(),
    /Envoyer la liste des permanences/);
  clean(phone);
  await phone.context().close();
});
