import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GrantCache, TTL_MS } from '../grant-cache.js';

function setup() {
  let now = 1_000;
  const calls = [];
  const table = new Map([['https://a.example', ['pubsub:chat']]]);
  const cache = new GrantCache(async (origin) => {
    calls.push(origin);
    return (table.get(origin) ?? []).map((capability) => ({ origin, capability, grantedAt: 1 }));
  }, () => now);
  return { cache, calls, table, advance: (ms) => { now += ms; } };
}

test('fetches once, then serves from cache until the TTL passes', async () => {
  const { cache, calls, advance } = setup();
  assert.deepEqual(await cache.capabilities('https://a.example'), ['pubsub:chat']);
  assert.deepEqual(await cache.capabilities('https://a.example'), ['pubsub:chat']);
  assert.equal(calls.length, 1);
  assert.equal(cache.knownGranted('https://a.example'), true);
  advance(TTL_MS);
  await cache.capabilities('https://a.example');
  assert.equal(calls.length, 2);
});

test('invalidate forgets an origin at once (revocation)', async () => {
  const { cache, table } = setup();
  await cache.capabilities('https://a.example');
  table.set('https://a.example', []);
  cache.invalidate('https://a.example');
  assert.equal(cache.knownGranted('https://a.example'), false);
  assert.deepEqual(await cache.capabilities('https://a.example'), []);
});

test('an answer that raced with a change is not cached', async () => {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  let calls = 0;
  const cache = new GrantCache(async (origin) => {
    calls += 1;
    if (calls === 1) await gate;
    return [{ origin, capability: 'pubsub:chat', grantedAt: 1 }];
  });
  const first = cache.capabilities('https://a.example');
  cache.invalidate('https://a.example');
  release();
  await first;
  await cache.capabilities('https://a.example');
  assert.equal(calls, 2, 'the stale answer was not cached');
});

test('update replaces the cached list with a fresh answer, ignoring other origins', async () => {
  const { cache, calls } = setup();
  cache.update('https://a.example', [
    { origin: 'https://a.example', capability: 'pubsub:news', grantedAt: 2 },
    { origin: 'https://b.example', capability: 'pubsub:chat', grantedAt: 2 },
  ]);
  assert.deepEqual(await cache.capabilities('https://a.example'), ['pubsub:news']);
  assert.equal(calls.length, 0);
});

test('expired (allow-once) grants count as absent; app principals are the origin\'s own', async () => {
  let now = 1_000;
  const cache = new GrantCache(async () => [
    { origin: 'app:io.example.chat', capability: 'stream:chat', grantedAt: 1, expiresAt: 2_000 },
    { origin: 'app:io.example.chat', capability: 'storage', grantedAt: 1, expiresAt: null },
  ], () => now);
  assert.deepEqual(await cache.capabilities('https://chat.example'), ['stream:chat', 'storage']);
  now = 2_000;
  assert.deepEqual(await cache.capabilities('https://chat.example'), ['storage']);
});
