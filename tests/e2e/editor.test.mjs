// editor.test.mjs — a coordinator writes minutes with the toolbar only (no
// Markdown typed), pastes a table from a Word-like clipboard (converted by
// the server's pandoc), adds an action through the toolbar, sees the
// preview's warnings, picks a commune after « [[ », and saves: the
// meeting page shows it all without any raw syntax. axe finds nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

// Word's clipboard for a two-column table without header cells.
const WORD_TABLE = '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>' +
  '<!--StartFragment--><table class=MsoTableGrid border=1><tr><td><p class=MsoNormal>Commune' +
  '</p></td><td><p class=MsoNormal>Motion</p></td></tr><tr><td><p class=MsoNormal>Andenne</p>' +
  '</td><td><p class=MsoNormal>votée</p></td></tr></table><!--EndFragment--></body></html>';

// Selects the text what in the text area.
async function select(area, what) {
  await area.evaluate((el, w) => {
    const at = el.value.indexOf(w);
    el.focus();
    el.setSelectionRange(at, at + w.length);
  }, what);
}

// Puts the caret at the end of the text area, on a new line.
async function newLine(area) {
  await area.evaluate((el) => { el.focus(); el.setSelectionRange(el.value.length, el.value.length); });
  await area.press('Enter');
  await area.press('Enter');
}

test('écrire un procès-verbal avec la barre d\'outils, coller depuis Word, ajouter une action', async () => {
  const page = await watchedPage(browser, server, { viewport: { width: 1280, height: 900 } });
  await login(page, server, server.accounts.coordinator);
  await page.goto(server.url + '/meetings/new?body=coordination-locale-namur');
  await page.getByLabel('Titre', { exact: true }).fill('Réunion écrite sans Markdown');
  await page.getByLabel('Date').fill('2026-03-12');
  const minutes = page.getByRole('textbox', { name: 'Procès-verbal' });
  const bar = page.getByRole('toolbar', { name: 'Mise en forme' }).nth(1);

  // a heading and bold words, with the buttons and with Ctrl+B
  await minutes.fill('Points abordés');
  await select(minutes, 'Points abordés');
  await bar.getByRole('button', { name: 'Titre', exact: true }).click();
  await newLine(minutes);
  await minutes.pressSequentially('Le groupe valide le calendrier');
  await select(minutes, 'valide');
  await bar.getByRole('button', { name: 'Gras', exact: true }).click();
  await select(minutes, 'calendrier');
  await minutes.press('Control+i');
  await newLine(minutes);
  await minutes.pressSequentially('Premier point');
  await bar.getByRole('button', { name: 'Liste numérotée', exact: true }).click();
  let text = await minutes.inputValue();
  assert.match(text, /^## Points abordés\n\nLe groupe \*\*valide\*\* le \*calendrier\*\n\n1\. Premier point$/);

  // a table pasted from Word becomes a Markdown table
  await newLine(minutes);
  await minutes.evaluate((el, html) => {
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', 'Commune\tMotion\nAndenne\tvotée');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, WORD_TABLE);
  await page.waitForFunction(() => document.querySelector('#minutes').value.includes('| Andenne'));
  text = await minutes.inputValue();
  assert.match(text, /\| Commune \| Motion \|\n\|-+\|-+\|\n\| Andenne \| votée +\|/);

  // an action through its small form, with an owner that does not exist
  await bar.getByRole('button', { name: 'Action', exact: true }).click();
  await page.getByLabel('Tâche', { exact: true }).fill('Relancer les communes');
  await page.getByLabel('Organisation qui la porte (sigle)').fill('CIA');
  await page.getByLabel('Échéance').fill('2099-03-15');
  await page.getByRole('button', { name: 'Insérer' }).click();
  text = await minutes.inputValue();
  assert.match(text, /\n- \[ \] Relancer les communes @CIA 15\/03\/2099\n$/);
  const warning = page.locator('#minutes-preview .warning');
  await warning.first().waitFor();
  assert.match(await warning.first().textContent(), /« @CIA » ne correspond à aucune organisation du réseau.*Vouliez-vous dire : CAI/);
  assert.match(await page.locator('#minutes-preview').textContent(), /Actions trouvées : 1/);

  // the owner corrected, by the same form
  await minutes.evaluate((el) => { el.value = el.value.replace('@CIA', '@CAI'); el.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction(() => !document.querySelector('#minutes-preview .warning'));

  // « [[ » then a name's start offers the commune
  await newLine(minutes);
  await minutes.pressSequentially('Visite à [[Ande');
  const option = page.getByRole('option', { name: /Andenne \(commune\)/ });
  await option.waitFor();
  await minutes.press('Enter');
  text = await minutes.inputValue();
  assert.match(text, /Visite à \[\[Andenne\]\]$/);

  assert.deepEqual(await audit(page), []);
  await Promise.all([page.waitForURL(/\/meetings\/\d+$/), page.getByRole('button', { name: 'Enregistrer' }).click()]);
  const minutesSection = page.locator('section[aria-labelledby="minutes"]');
  assert.equal(await minutesSection.locator('h2#points-abordes, h2', { hasText: 'Points abordés' }).count() >= 1, true);
  assert.equal(await minutesSection.locator('strong', { hasText: 'valide' }).count(), 1);
  assert.equal(await minutesSection.locator('td', { hasText: 'Andenne' }).count(), 1);
  const item = minutesSection.locator('li.task-list-item');
  assert.match(await item.textContent(), /Relancer les communes — CAI, pour le 15 mars 2099 à faire/);
  assert.doesNotMatch(await minutesSection.textContent(), /@CAI|\*\*|\[\[/);
  assert.equal(await minutesSection.getByRole('link', { name: 'Andenne' }).count(), 1);
  assert.deepEqual(await audit(page), []);
  assert.deepEqual(page.seen.errors, []);
  await page.context().close();
});

test('sans JavaScript, le procès-verbal reste un simple champ de texte, avec son aide', async () => {
  const page = await watchedPage(browser, server, { viewport: { width: 360, height: 800 }, javaScriptEnabled: false });
  await login(page, server, server.accounts.coordinator);
  await page.goto(server.url + '/meetings/new?body=coordination-locale-namur');
  assert.equal(await page.getByRole('toolbar').count(), 0);
  await page.getByText('Aide à la mise en forme').click();
  assert.equal(await page.locator('.md-help-table strong', { hasText: 'prioritaire' }).isVisible(), true);
  await page.context().close();
});

test('sans pandoc sur le serveur, un collage donne son texte brut', async () => {
  const bare = await startServer({ MAILLAGE_PANDOC: '/nonexistent/pandoc' });
  try {
    const page = await watchedPage(browser, bare, { viewport: { width: 1280, height: 900 } });
    await login(page, bare, bare.accounts.coordinator);
    await page.goto(bare.url + '/meetings/new?body=coordination-locale-namur');
    const minutes = page.getByRole('textbox', { name: 'Procès-verbal' });
    await minutes.fill('Avant : ');
    await minutes.evaluate((el, html) => {
      el.setSelectionRange(el.value.length, el.value.length);
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', 'Commune\tMotion\nAndenne\tvotée');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, WORD_TABLE);
    await page.waitForFunction(() => document.querySelector('#minutes').value.includes('Andenne'));
    assert.equal(await minutes.inputValue(), 'Avant : Commune\tMotion\nAndenne\tvotée');
    await page.context().close();
  } finally {
    await bare.stop();
  }
});
