import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOTIFICATION_ICON, showNotification } from '../desktop-notifications.js';

test('a notification names the page origin and uses the bundled icon', async () => {
  const created = [];
  const api = { create: async (id, options) => { created.push({ id, options }); return id; } };
  const id = await showNotification(api, (path) => `chrome-extension://x/${path}`,
    { origin: 'https://chat.example', title: 'New message', body: 'hi' });
  assert.equal(created.length, 1);
  assert.equal(created[0].id, id);
  assert.deepEqual(created[0].options, {
    type: 'basic', iconUrl: `chrome-extension://x/${NOTIFICATION_ICON}`, title: 'New message', message: 'hi',
    contextMessage: 'https://chat.example',
  });
});

test('a refused notification is an error, never a silent success', async () => {
  const api = { create: async () => undefined };
  await assert.rejects(showNotification(api, (p) => p, { origin: 'https://a.example', title: 't' }), /did not show/);
});
