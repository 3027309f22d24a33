import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ONCE_GRANTS, OnceGrants } from '../once-grants.js';

test('allow-once grants end with the page that asked', () => {
  const once = new OnceGrants();
  const tab1 = {};
  const tab2 = {};
  once.add(tab1, 'https://a.example', ['stream:chat', 'storage']);
  once.add(tab2, 'https://b.example', ['pubsub:news']);
  assert.equal(once.isOnce('https://a.example', 'storage'), true);
  assert.deepEqual(once.ownerGone(tab1), [
    { origin: 'https://a.example', capability: 'stream:chat' },
    { origin: 'https://a.example', capability: 'storage' },
  ]);
  assert.deepEqual(once.ownerGone(tab1), [], 'only once');
  assert.equal(once.size, 1);
});

test('a capability later allowed always, or revoked by the user, is no longer revoked at page end', () => {
  const once = new OnceGrants();
  const tab = {};
  once.add(tab, 'https://a.example', ['stream:chat', 'storage']);
  once.forget('https://a.example', 'storage');
  assert.deepEqual(once.ownerGone(tab), [{ origin: 'https://a.example', capability: 'stream:chat' }]);
  once.add(tab, 'https://a.example', ['stream:chat', 'storage']);
  once.forget('https://a.example');
  assert.deepEqual(once.ownerGone(tab), []);
});

test('bounded', () => {
  const once = new OnceGrants();
  for (let i = 0; i <= MAX_ONCE_GRANTS; i++) once.add({}, 'https://a.example', [`pubsub:t${i}`]);
  assert.equal(once.size, MAX_ONCE_GRANTS);
  assert.equal(once.isOnce('https://a.example', 'pubsub:t0'), false, 'the oldest goes first');
});
