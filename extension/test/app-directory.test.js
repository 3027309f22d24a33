import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppDirectory, TTL_MS, appIdOf } from '../app-directory.js';

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
