// lib.mjs — what the browser tests share: a Maillage server on a random
// loopback port with the demonstration network, Debian's Chromium, logins,
// and the accessibility audit. Run from the repository's root.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
// The sanitized build when there is one (make test makes it): a memory
// error or a leak in the server then fails the tests that used it.
const BINARY = process.env.MAILLAGE_E2E_BIN ||
  (existsSync('build/asan/maillage') ? 'build/asan/maillage' : './maillage');

// Starts `maillage serve` on a new demonstration database (env: more
// variables for the server); resolves to
// { url, accounts: {role: {email, password}}, dir, stop() }.
export async function startServer(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'maillage-e2e-'));
  const db = join(dir, 'e2e.db');
  execFileSync(BINARY, ['init', '--demo', '--db', db], { stdio: 'ignore' });
  const accounts = {};
  for (const line of readFileSync(join(dir, 'demo-accounts.txt'), 'utf8').split('\n')) {
    const m = line.match(/^(\w+)\s+(\S+@\S+)\s+(\S+)$/);
    if (m) accounts[m[1]] = { email: m[2], password: m[3] };
  }
  const server = spawn(BINARY, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '2',
    '--outbox-dir', join(dir, 'outbox')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  server.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('le serveur ne démarre pas : ' + log)), 20000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/écoute sur (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error(`le serveur s'est arrêté (${code}) : ${log}`)));
  });
  return {
    url, accounts, dir, db, log: () => log,
    async stop() {
      const code = server.exitCode ?? await new Promise((r) => {
        server.on('exit', (c) => r(c));
        server.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`le serveur a fini avec le code ${code} : ${log.slice(-4000)}`);
    },
  };
}

// Launches Debian's Chromium, headless, with the flags the project uses.
export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

// Opens a page that records what a careful user would notice: dialogs,
// console errors (CSP violations among them) and any request leaving
// Maillage.
export async function watchedPage(browser, server, options = {}) {
  const context = await browser.newContext({ locale: 'fr-BE', ...options });
  const page = await context.newPage();
  page.seen = { dialogs: [], errors: [], external: [], unloads: 0 };
  page.on('dialog', async (d) => {
    if (d.type() === 'beforeunload') { page.seen.unloads++; await d.accept(); return; }
    page.seen.dialogs.push(d.type() + ': ' + d.message());
    await d.dismiss();
  });
  page.on('console', (m) => { if (m.type() === 'error') page.seen.errors.push(m.text()); });
  page.on('pageerror', (e) => page.seen.errors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:')) page.seen.external.push(u);
  });
  return page;
}

// Logs in on page as account ({email, password}); waits for the redirect.
export async function login(page, server, account) {
  await page.goto(server.url + '/login');
  await page.getByLabel('Adresse e-mail').fill(account.email);
  await page.getByLabel('Mot de passe').fill(account.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.getByRole('button', { name: 'Se connecter' }).click()]);
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Runs axe-core on the page for WCAG 2.1 A and AA; returns the violations
// as readable lines.
export async function audit(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations.map((v) => `${v.id} (${v.impact}) : ${v.help} — ` +
    v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
}

// Returns the decoded text part of the newest mail the server's outbox
// wrote to address and whose text holds words, waiting up to 10 s for it;
// throws when none comes.
export async function mailText(server, address, words) {
  const dir = join(server.dir, 'outbox');
  for (let i = 0; i < 100; i++) {
    const files = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.eml')).sort().reverse() : [];
    for (const f of files) {
      const raw = readFileSync(join(dir, f), 'utf8');
      if (!raw.includes(`To: <${address}>`) && !raw.includes(`To: ${address}`)) continue;
      const part = raw.split(/\r?\n--/).find((p) => /Content-Type: text\/plain/i.test(p));
      const body = part.split(/\r?\n\r?\n/).slice(1).join('\n');
      const text = /base64/i.test(part) ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
      if (text.includes(words)) return text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`aucun courrier pour ${address} avec « ${words} »`);
}
