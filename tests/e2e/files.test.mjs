// files.test.mjs — a coordinator attaches documents to a meeting: by the
// file input, with the upload's progress shown, and by dropping files on
// the form; a refused type shows its French reason; the PDF opens in the
// browser (inline, under the sandbox); the page and the file's page pass
// axe. Without JavaScript the same form posts and the server answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, watchedPage, login, audit } from './lib.mjs';

let server, browser, samples;

before(async () => {
  server = await startServer();
  browser = await launch();
  samples = join(server.dir, 'samples');
  execFileSync('python3', ['tests/files/samples.py', samples]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const MEETING = '/meetings/1';

test('joindre des documents : champ de fichier, progression, dépôt, refus, ouverture du PDF', async () => {
  const page = await watchedPage(browser, server, { viewport: { width: 1280, height: 900 } });
  await login(page, server, server.accounts.coordinator);
  await page.goto(server.url + MEETING);
  const form = page.locator('form[data-upload]');
  await form.getByLabel('Joindre des documents').setInputFiles([
    join(samples, 'ordre-du-jour.pdf'), join(samples, 'compte-rendu.docx')]);
  await form.getByRole('button', { name: 'Joindre', exact: true }).click();
  const status = form.locator('.upload-status');
  await status.getByText('2 documents sont joints.').waitFor();
  assert.equal(await form.locator('progress').evaluate((p) => p.value), 100);
  assert.equal(await form.locator('progress').isVisible(), true);
  const list = page.locator('ul.files');
  await list.getByRole('link', { name: 'ordre-du-jour.pdf', exact: true }).waitFor();

  // dropped on the zone: the file joins the input, then goes up
  const bytes = readFileSync(join(samples, 'photo.png')).toString('base64');
  const drop = await page.evaluateHandle((b64) => {
    const dt = new DataTransfer();
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    dt.items.add(new File([raw], 'affiche.png', { type: 'image/png' }));
    return dt;
  }, bytes);
  await form.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: drop });
  await form.getByText('Fichiers choisis : affiche.png').waitFor();
  await form.getByRole('button', { name: 'Joindre', exact: true }).click();
  await status.getByText('Un document est joint.').waitFor();

  // a refused type: its French reason, nothing added
  await form.getByLabel('Joindre des documents').setInputFiles(join(samples, 'refus', 'dessin.svg'));
  await form.getByRole('button', { name: 'Joindre', exact: true }).click();
  await status.getByText('Aucun document n\'a été joint.').waitFor();
  const refusal = await status.locator('ul.alert').innerText();
  assert.match(refusal, /« dessin\.svg » n'est pas accepté : son contenu est du type « image SVG »/);

  // the page as saved lists the three, with their French types
  await page.reload();
  for (const [name, type] of [['ordre-du-jour.pdf', 'PDF'], ['compte-rendu.docx', 'Document Word'],
    ['affiche.png', 'Image PNG']]) {
    const item = list.locator('li', { hasText: name });
    assert.match(await item.innerText(), new RegExp(type + ', '));
  }
  assert.deepEqual(await audit(page), []);

  // the PDF opens in the browser: inline, a PDF, under the sandbox
  const href = await list.getByRole('link', { name: 'ordre-du-jour.pdf', exact: true }).getAttribute('href');
  const pdf = await page.request.get(server.url + href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.match(pdf.headers()['content-disposition'], /^inline; /);
  assert.equal(pdf.headers()['content-security-policy'], "sandbox; default-src 'none'");
  assert.deepEqual(Buffer.compare(await pdf.body(), readFileSync(join(samples, 'ordre-du-jour.pdf'))), 0);

  // the file's page: its versions and the forms to rename, replace, delete
  await list.locator('li', { hasText: 'ordre-du-jour.pdf' }).getByRole('link', { name: /Renommer/ }).click();
  await page.getByRole('heading', { name: 'ordre-du-jour.pdf' }).waitFor();
  await page.getByLabel('Nouveau nom').fill('Ordre du jour signé');
  await page.getByRole('button', { name: 'Renommer' }).click();
  await page.getByRole('heading', { name: 'Ordre du jour signé.pdf' }).waitFor();
  assert.deepEqual(await audit(page), []);
  assert.deepEqual(page.seen.errors, []);
  assert.deepEqual(page.seen.external, []);
  await page.context().close();
});

test('sans JavaScript, le formulaire envoie les fichiers et la page répond', async () => {
  const page = await watchedPage(browser, server, { javaScriptEnabled: false,
    viewport: { width: 360, height: 800 } });
  await login(page, server, server.accounts.coordinator);
  await page.goto(server.url + MEETING);
  const form = page.locator('form[data-upload]');
  await form.getByLabel('Joindre des documents').setInputFiles(join(samples, 'refus', 'page.pdf'));
  await form.getByRole('button', { name: 'Joindre', exact: true }).click();
  await page.getByRole('heading', { name: 'Documents refusés' }).waitFor();
  assert.match(await page.locator('.alert').innerText(), /page web \(HTML\)/);
  const refusedWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(refusedWidth <= 360, `la page des refus déborde : ${refusedWidth} px`);
  await page.getByRole('link', { name: 'Revenir à la page' }).first().click();
  await form.getByLabel('Joindre des documents').setInputFiles(join(samples, 'notes.txt'));
  await form.getByRole('button', { name: 'Joindre', exact: true }).click();
  await page.locator('ul.files').getByRole('link', { name: 'notes.txt', exact: true }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `la page déborde : ${width} px`);
  await page.context().close();
});
