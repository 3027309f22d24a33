import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANY_GRANT, MAX_CAPABILITIES_PER_REQUEST, MAX_CAPABILITY_LENGTH, describeCapability, isAllowed,
  parseCapability, parseCapabilityList, requiredCapability,
} from '../capabilities.js';

test('parses pubsub and peers:read capabilities', () => {
  assert.deepEqual(parseCapability('pubsub:chat'), { kind: 'pubsub', topic: 'chat' });
  assert.deepEqual(parseCapability('pubsub:a:b'), { kind: 'pubsub', topic: 'a:b' }, 'topics may contain colons');
  assert.deepEqual(parseCapability('peers:read'), { kind: 'peers:read' });
});

test('an empty caveat grants nothing: empty topic, unknown kinds and control characters are refused', () => {
  for (const bad of ['pubsub:', 'pubsub', 'peers:write', 'peers:', 'admin:*', '', 'pubsub:a\nb', 'pubsub:\u2028', 42, null]) {
    assert.equal(parseCapability(bad), null, `expected ${JSON.stringify(bad)} to be refused`);
  }
});

test('capability length is bounded like the daemon (512 characters)', () => {
  const longest = 'pubsub:' + 'x'.repeat(MAX_CAPABILITY_LENGTH - 7);
  assert.notEqual(parseCapability(longest), null);
  assert.equal(parseCapability(longest + 'x'), null);
});

test('requestAccess lists: non-empty, bounded, deduplicated, every entry valid', () => {
  assert.deepEqual(parseCapabilityList(['pubsub:chat', 'peers:read', 'pubsub:chat']),
    { ok: true, capabilities: ['pubsub:chat', 'peers:read'] });
  assert.equal(parseCapabilityList([]).ok, false);
  assert.equal(parseCapabilityList('pubsub:chat').ok, false);
  assert.equal(parseCapabilityList(['pubsub:chat', 'bogus']).ok, false);
  const tooMany = Array.from({ length: MAX_CAPABILITIES_PER_REQUEST + 1 }, (_, i) => `pubsub:t${i}`);
  assert.equal(parseCapabilityList(tooMany).ok, false);
});

test('plain words for the prompt', () => {
  assert.equal(describeCapability('pubsub:chat'), 'Send and receive messages on the topic "chat"');
  assert.equal(describeCapability('peers:read'), 'See which peers your node is connected to');
  assert.match(describeCapability('weird'), /^Unknown permission/);
});

test('which grant each page method needs (API.md)', () => {
  assert.equal(requiredCapability('pubsub.subscribe', { topic: 'chat' }), 'pubsub:chat');
  assert.equal(requiredCapability('pubsub.publish', { topic: 'news', data: '' }), 'pubsub:news');
  assert.equal(requiredCapability('node.info', {}), ANY_GRANT);
  assert.equal(requiredCapability('peers.list', {}), 'peers:read');
  assert.equal(requiredCapability('notifications.show', { title: 't' }), 'notifications');
  assert.equal(requiredCapability('grants.list', {}), null);

  assert.equal(isAllowed('pubsub:chat', ['pubsub:chat']), true);
  assert.equal(isAllowed('pubsub:chat', ['pubsub:chat2', 'peers:read']), false, 'exact topic only');
  assert.equal(isAllowed(ANY_GRANT, []), false);
  assert.equal(isAllowed(ANY_GRANT, ['pubsub:x']), true);
  assert.equal(isAllowed(null, []), true);
});

test('app platform capabilities: stream:, dht:, storage, notifications', () => {
  assert.deepEqual(parseCapability('stream:chat/1.0.0'), { kind: 'stream', protocol: 'chat/1.0.0' });
  assert.deepEqual(parseCapability('dht:profile/'), { kind: 'dht', prefix: 'profile/' });
  assert.deepEqual(parseCapability('storage'), { kind: 'storage' });
  assert.deepEqual(parseCapability('notifications'), { kind: 'notifications' });
  for (const bad of ['stream:', 'stream:a b', 'stream:a\tb', 'dht:', 'storage:x', 'notifications:all', 'dht:a\u0000']) {
    assert.equal(parseCapability(bad), null, `expected ${JSON.stringify(bad)} to be refused`);
  }
  assert.notEqual(parseCapability('stream:' + 'p'.repeat(256)), null);
  assert.equal(parseCapability('stream:' + 'p'.repeat(257)), null, 'the daemon takes protocol names of at most 256 characters');
  assert.match(describeCapability('stream:chat/1.0.0'), /"chat\/1\.0\.0"/);
  assert.match(describeCapability('dht:profile/'), /under "profile\/"/);
  assert.equal(describeCapability('storage'), 'Store data on this computer, within its storage quota');
  assert.equal(describeCapability('notifications'), 'Show desktop notifications');
});

test('which grant the app platform methods need', () => {
  assert.equal(requiredCapability('streams.open', { peerId: 'x', protocol: 'chat' }), 'stream:chat');
  assert.equal(requiredCapability('streams.handle', { protocol: 'chat' }), 'stream:chat');
  for (const method of ['storage.get', 'storage.put', 'storage.delete', 'storage.list']) {
    assert.equal(requiredCapability(method, {}), 'storage');
  }
  assert.equal(requiredCapability('apps.current', {}), null);
  const dht = requiredCapability('dht.put', { key: 'profile/alice', value: '' });
  assert.equal(isAllowed(dht, ['dht:profile/']), true, 'a prefix covers the keys it starts');
  assert.equal(isAllowed(dht, ['dht:prof']), true);
  assert.equal(isAllowed(dht, ['dht:profile/bob', 'pubsub:profile/alice']), false);
  assert.equal(isAllowed(requiredCapability('dht.get', { key: 'p' }), ['dht:profile']), false, 'the key must start with the prefix');
  assert.equal(isAllowed('stream:chat', ['stream:chat2']), false, 'exact protocol only');
});
