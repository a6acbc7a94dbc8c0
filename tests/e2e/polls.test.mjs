// polls.test.mjs — a date poll in Chromium: the coordinator proposes
// dates (« Copier ce jour » repeats a day's hours), then a partner answers
// from the mailed link on a 360 px screen with the keyboard alone; axe
// finds nothing on the form, the answer page or the results.
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

// A date n days from now, as a date input takes it.
function day(n) {
  return new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
}

test('un sondage de date : proposé par la coordination, une partenaire répond au clavier à 360 px', async () => {
  const coord = await watchedPage(browser, server, { viewport: { width: 1280, height: 900 } });
  await login(coord, server, server.accounts.coordinator);
  await coord.goto(server.url + '/bodies/coordination-locale-namur');
  await coord.getByRole('link', { name: 'Proposer des dates' }).click();
  assert.deepEqual(await audit(coord), []);
  await coord.getByLabel('Titre').fill('Coordination de printemps');
  await coord.getByLabel('Lieu').fill('Namur');
  await coord.locator('#date-1').fill(day(30));
  await coord.locator('#start-1').fill('09:30');
  await coord.locator('#end-1').fill('11:30');
  await coord.locator('#date-2').fill(day(30));
  await coord.locator('#start-2').fill('14:00');
  await coord.locator('#end-2').fill('16:00');
  await coord.locator('.slot-row').first().getByRole('button', { name: 'Copier ce jour' }).click();
  assert.equal(await coord.locator('#start-3').inputValue(), '09:30');
  assert.equal(await coord.locator('#start-4').inputValue(), '14:00');
  await coord.locator('#date-3').fill(day(31));
  await coord.locator('#date-4').fill(day(31));
  await coord.getByLabel('Clôture du sondage').fill(day(10));
  await coord.getByRole('button', { name: 'Envoyer le sondage aux membres' }).click();
  await coord.waitForURL(/\/polls\/\d+\?sent=1/);
  assert.match(await coord.getByRole('status').textContent(), /Le sondage part vers les membres/);
  const poll = coord.url().match(/\/polls\/(\d+)/)[1];

  const partner = server.accounts.partner.email;
  const text = await mailText(server, partner, '/polls/answer/');
  const link = text.match(/(http\S+\/polls\/answer\/\S+)/)?.[1];
  assert.ok(link, text);

  const page = await watchedPage(browser, server, { viewport: { width: 360, height: 800 } });
  await page.goto(link);
  assert.deepEqual(await audit(page), []);
  // the keyboard alone: into each slot's group, choose, on to the next
  const choices = ['ArrowRight', null, 'ArrowLeft', null]; // si nécessaire, oui, non, oui
  let focused = '';
  for (let i = 0; i < 40 && !focused.startsWith('slot-'); i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.name || '');
  }
  for (const key of choices) {
    if (key) await page.keyboard.press(key);
    else await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'comment');
  await page.keyboard.type('Le matin me convient mieux.');
  await page.keyboard.press('Tab');
  await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
  await page.getByRole('status').waitFor();
  assert.match(await page.getByRole('status').textContent(), /vos réponses sont enregistrées/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `la page déborde : ${width} px`);
  assert.deepEqual(await audit(page), []);
  const answers = execFileSync('sqlite3', [server.db, `SELECT group_concat(a.answer, ',') FROM ` +
    `(SELECT a.answer FROM poll_answer a JOIN poll_voter v ON v.id = a.voter_id JOIN poll_slot s ` +
    `ON s.id = a.slot_id WHERE v.email = '${partner}' ORDER BY s.start) a`], { encoding: 'utf8' }).trim();
  assert.equal(answers, 'maybe,yes,no,yes');

  await coord.goto(`${server.url}/polls/${poll}`);
  assert.match(await coord.locator('main').textContent(), /Le matin me convient mieux/);
  assert.deepEqual(await audit(coord), []);
  await coord.setViewportSize({ width: 360, height: 800 }); // the results on a phone too
  const resultsWidth = await coord.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(resultsWidth <= 360, `les résultats débordent : ${resultsWidth} px`);
  for (const p of [coord, page]) {
    assert.deepEqual(p.seen.errors, []);
    assert.deepEqual(p.seen.external, []);
    await p.context().close();
  }
});
