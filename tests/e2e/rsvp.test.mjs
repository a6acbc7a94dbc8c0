// rsvp.test.mjs — answering an invitation in Chromium: the coordinator
// sends it, a partner opens « Je viens » from the mail on a 360 px screen,
// confirms with the keyboard alone, and reads the confirmation; the
// member's own page shows the answer; axe finds nothing on either page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launch, watchedPage, login, audit, mailText } from './lib.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('une partenaire répond « Je viens » depuis le courrier, au clavier, à 360 px', async () => {
  const id = execFileSync('sqlite3', [server.db, "INSERT INTO meeting (body_id, title, start, end, " +
    "place, status, visibility) SELECT id, 'Coordination des réponses', date('now', '+15 days') " +
    "|| 'T14:00', date('now', '+15 days') || 'T16:00', 'Namur', 'planned', 'public' FROM body " +
    "WHERE slug = 'coordination-locale-namur'; SELECT last_insert_rowid();"], { encoding: 'utf8' }).trim();
  const coord = await watchedPage(browser, server);
  await login(coord, server, server.accounts.coordinator);
  await coord.goto(`${server.url}/meetings/${id}`);
  await coord.getByRole('button', { name: 'Envoyer l\'invitation' }).click();
  await coord.waitForURL(/invited=/);
  const partner = server.accounts.partner.email;
  const text = await mailText(server, partner, '/rsvp/');
  const link = text.match(/Je viens : (http\S+)/)?.[1];
  assert.ok(link, text);

  const page = await watchedPage(browser, server, { viewport: { width: 360, height: 800 } });
  await page.goto(link);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Votre réponse à l\'invitation');
  assert.match(await page.locator('dl.facts').textContent(), /à confirmer/);
  assert.deepEqual(await audit(page), []);
  const answer = () => execFileSync('sqlite3', [server.db, `SELECT answer FROM rsvp WHERE ` +
    `meeting_id = ${id} AND email = '${partner}'`], { encoding: 'utf8' }).trim();
  assert.equal(answer(), 'invited'); // opening the link recorded nothing
  let focused = '';
  for (let i = 0; i < 40 && focused !== 'Confirmer : Je viens'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.textContent?.trim() || '');
  }
  assert.equal(focused, 'Confirmer : Je viens');
  await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
  await page.getByRole('status').waitFor();
  assert.match(await page.getByRole('status').textContent(), /votre réponse « Je viens » est enregistrée/);
  assert.equal(answer(), 'accepted');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `la page déborde : ${width} px`);
  assert.deepEqual(await audit(page), []);

  // the member's own page says so, and changes it
  const member = await watchedPage(browser, server, { viewport: { width: 360, height: 800 } });
  await login(member, server, server.accounts.partner);
  await member.goto(`${server.url}/meetings/${id}`);
  const presence = member.getByRole('region', { name: 'Votre présence' });
  assert.match(await presence.textContent(), /Votre réponse : Je viens/);
  assert.deepEqual(await audit(member), []);
  await presence.getByRole('button', { name: 'Peut-être' }).click();
  await member.waitForURL(/#presence$/);
  assert.match(await member.getByRole('region', { name: 'Votre présence' }).textContent(), /Votre réponse : Peut-être/);
  assert.equal(answer(), 'tentative');
  for (const p of [coord, page, member]) {
    assert.deepEqual(p.seen.errors, []);
    assert.deepEqual(p.seen.external, []);
    await p.context().close();
  }
});
