import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppDirectory, TTL_MS, appIdOf, bundledAppId } from '../app-directory.js';

const chat = { id: 'io.example.chat', name: 'Chat', enabled: true, entry: { origin: 'https://chat.example' }, fingerprint: 'ab12 cd34 ef56 7890' };
const off = { id: 'io.example.off', name: 'Off', enabled: false, entry: { origin: 'https://off.example' } };

test('names the enabled app behind an origin, from a cached apps.list', async () => {
  let now = 0;
  let calls = 0;
  const directory = new AppDirectory(async () => { calls += 1; return [chat, off]; }, () => now);
  assert.equal((await directory.appForOrigin('https://chat.example')).name, 'Chat');
  assert.equal(await directory.appForOrigin('https://off.example'), null, 'a disabled app is not the principal');
  assert.equal(await directory.appForOrigin('https://other.example'), null);
  assert.equal(await directory.principalOf('https://chat.example'), 'app:io.example.chat');
  assert.equal(await directory.principalOf('https://other.example'), 'https://other.example');
  assert.equal(calls, 1);
  now += TTL_MS;
  await directory.list();
  assert.equal(calls, 2);
  directory.invalidate();
  await directory.list();
  assert.equal(calls, 3, 'apps.changed refetches');
});

test('a daemon without apps.list (4200) means no apps; other errors propagate', async () => {
  const old = new AppDirectory(async () => { throw { code: 4200, message: 'unsupported method: apps.list' }; });
  assert.deepEqual(await old.list(), []);
  const down = new AppDirectory(async () => { throw { code: 4900, message: 'down' }; });
  await assert.rejects(down.list(), { code: 4900 });
});

test('app principals', () => {
  assert.equal(appIdOf('app:io.example.chat'), 'io.example.chat');
  assert.equal(appIdOf('https://chat.example'), null);
  assert.equal(appIdOf(undefined), null);
});

test('a bundled page belongs to the enabled app of its apps/<id>/ folder whose entry is a page there', async () => {
  const bundled = { id: 'org.omnipeer.chat', name: 'Chat', enabled: true, entry: { page: 'apps/org.omnipeer.chat/index.html' } };
  const web = { id: 'org.example.web', name: 'Web', enabled: true, entry: { origin: 'https://web.example' } };
  const disabled = { id: 'org.example.off', name: 'Off', enabled: false, entry: { page: 'apps/org.example.off/index.html' } };
  const directory = new AppDirectory(async () => [bundled, web, disabled]);
  assert.equal((await directory.appForBundledPage('apps/org.omnipeer.chat/index.html')).name, 'Chat');
  assert.equal((await directory.appForBundledPage('apps/org.omnipeer.chat/more/other.html')).name, 'Chat');
  assert.equal(await directory.appForBundledPage('apps/org.example.web/index.html'), null, 'entry is a web origin');
  assert.equal(await directory.appForBundledPage('apps/org.example.off/index.html'), null, 'disabled');
  assert.equal(await directory.appForBundledPage('apps/org.example.none/index.html'), null, 'not installed');
  assert.equal(await directory.appForBundledPage('popup.html'), null);
  assert.equal((await directory.appForOrigin('app:org.omnipeer.chat')).name, 'Chat', 'prompts name a bundled app by principal');
  assert.equal(await directory.appForOrigin('app:org.example.off'), null);
});

test('bundled app ids come only from a clean apps/<id>/<file> path', () => {
  assert.equal(bundledAppId('apps/org.omnipeer.chat/index.html'), 'org.omnipeer.chat');
  for (const path of ['apps/org.omnipeer.chat/', 'apps/org.omnipeer.chat', 'apps/../popup.html', 'apps/x/index.html',
    'apps/org.omnipeer.chat/../../popup.html', 'popup.html', 'apps//index.html', 42, undefined]) {
    assert.equal(bundledAppId(path), null, String(path));
  }
});
