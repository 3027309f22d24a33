import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INVALID_PARAMS, INVALID_REQUEST, UNAUTHORIZED, UNSUPPORTED_METHOD } from '../errors.js';
import {
  MAX_DATA_BYTES, MAX_NOTIFICATION_BODY, MAX_NOTIFICATION_TITLE, MAX_PUBLISH_BYTES, MAX_STORAGE_KEY_LENGTH, base64DecodedLength, bytesToBase64, classifyHostMessage,
  toHostParams, validatePageRequest,
} from '../messages.js';

function rejects(message, code) {
  assert.throws(() => validatePageRequest(message), (e) => e.code === code, JSON.stringify(message)?.slice(0, 80));
}

test('valid page requests are rebuilt from known fields only', () => {
  assert.deepEqual(validatePageRequest({ id: 1, method: 'node.info', params: { origin: 'https://evil.example' } }),
    { id: 1, method: 'node.info', params: {} }, 'a page-supplied origin is dropped');
  assert.deepEqual(validatePageRequest({ id: 'a', method: 'pubsub.subscribe', params: { topic: 'chat', extra: 1 } }),
    { id: 'a', method: 'pubsub.subscribe', params: { topic: 'chat' } });
  assert.deepEqual(validatePageRequest({ id: 2, method: 'pubsub.publish', params: { topic: 'chat', data: 'aGk=' } }).params,
    { topic: 'chat', data: 'aGk=' });
  assert.deepEqual(validatePageRequest({ id: 3, method: 'p2p.requestAccess', params: { capabilities: ['pubsub:chat'] } }).params,
    { capabilities: ['pubsub:chat'] });
  assert.deepEqual(validatePageRequest({ id: 4, method: 'grants.list' }).params, {});
});

test('the origin forwarded to the daemon is the one the service worker passes', () => {
  const request = validatePageRequest({ id: 1, method: 'pubsub.subscribe', params: { topic: 'chat', origin: 'https://evil.example' } });
  assert.deepEqual(toHostParams(request, 'http://127.0.0.1:8080'), { topic: 'chat', origin: 'http://127.0.0.1:8080' });
});

test('malformed shapes are invalid requests', () => {
  for (const bad of [null, 'x', [], { method: 'node.info' }, { id: 1.5, method: 'node.info' }, { id: {}, method: 'node.info' },
    { id: 'x'.repeat(65), method: 'node.info' }, { id: 1 }, { id: 1, method: '' }, { id: 1, method: 'node.info', params: [] },
    { id: 1, method: 'node.info', params: null }]) {
    rejects(bad, INVALID_REQUEST);
  }
});

test('unknown methods are unsupported; user-only methods are unauthorized for pages', () => {
  rejects({ id: 1, method: 'no.such' }, UNSUPPORTED_METHOD);
  rejects({ id: 1, method: 'constructor' }, UNSUPPORTED_METHOD);
  rejects({ id: 1, method: '__proto__' }, UNSUPPORTED_METHOD);
  for (const method of ['grants.add', 'grants.revoke', 'peers.connect', 'peers.ping']) rejects({ id: 1, method }, UNAUTHORIZED);
});

test('bad params are invalid params', () => {
  rejects({ id: 1, method: 'pubsub.subscribe', params: {} }, INVALID_PARAMS);
  rejects({ id: 1, method: 'pubsub.subscribe', params: { topic: '' } }, INVALID_PARAMS);
  rejects({ id: 1, method: 'pubsub.publish', params: { topic: 'chat', data: 'not base64!' } }, INVALID_PARAMS);
  rejects({ id: 1, method: 'pubsub.publish', params: { topic: 'chat', data: 'abc' } }, INVALID_PARAMS);
  rejects({ id: 1, method: 'pubsub.unsubscribe', params: { subscription: 7 } }, INVALID_PARAMS);
  rejects({ id: 1, method: 'p2p.requestAccess', params: { capabilities: ['root'] } }, INVALID_PARAMS);
});

test('publish payloads are capped at 1 MiB decoded', () => {
  const max = bytesToBase64(new Uint8Array(MAX_PUBLISH_BYTES));
  assert.equal(base64DecodedLength(max), MAX_PUBLISH_BYTES);
  validatePageRequest({ id: 1, method: 'pubsub.publish', params: { topic: 't', data: max } });
  const over = bytesToBase64(new Uint8Array(MAX_PUBLISH_BYTES + 1));
  rejects({ id: 1, method: 'pubsub.publish', params: { topic: 't', data: over } }, INVALID_PARAMS);
});

test('base64 helpers agree with Buffer', () => {
  for (const n of [0, 1, 2, 3, 4, 100_000]) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
    const text = bytesToBase64(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64'));
    assert.equal(base64DecodedLength(text), n);
  }
});

test('host messages are classified as response, notification, chunk or invalid', () => {
  assert.deepEqual(classifyHostMessage({ jsonrpc: '2.0', id: 3, result: { a: 1 } }), { kind: 'response', id: 3, result: { a: 1 } });
  assert.deepEqual(classifyHostMessage({ jsonrpc: '2.0', id: 3, error: { code: 4100, message: 'no' } }),
    { kind: 'response', id: 3, error: { code: 4100, message: 'no' } });
  assert.deepEqual(classifyHostMessage({ jsonrpc: '2.0', method: 'peers.changed', params: { connectedPeers: 2 } }),
    { kind: 'notification', method: 'peers.changed', params: { connectedPeers: 2 } });
  assert.equal(classifyHostMessage({ chunk: { id: 'x', index: 0, count: 2, data: '' } }).kind, 'chunk');
  for (const bad of [null, [], 'x', { id: 1 }, { id: 1, error: { code: 'x', message: 'm' } }, { id: {}, result: {} },
    { method: 'x', params: [] }]) {
    assert.equal(classifyHostMessage(bad).kind, 'invalid', JSON.stringify(bad));
  }
});

test('bridge.echo (the service worker answers it itself) keeps only valid base64 data of bounded size', () => {
  assert.deepEqual(validatePageRequest({ id: 1, method: 'bridge.echo' }).params, { data: '' });
  assert.deepEqual(validatePageRequest({ id: 2, method: 'bridge.echo', params: { data: 'aGk=', origin: 'x' } }).params,
    { data: 'aGk=' });
  rejects({ id: 3, method: 'bridge.echo', params: { data: 'not base64!' } }, INVALID_PARAMS);
  rejects({ id: 4, method: 'bridge.echo', params: { data: 'A'.repeat(((MAX_PUBLISH_BYTES + 3) / 3 | 0) * 4 + 4) } }, INVALID_PARAMS);
});

test('app platform page requests are rebuilt from known fields', () => {
  const peerId = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA';
  const ok = (method, params) => validatePageRequest({ id: 1, method, params: { ...params, origin: 'https://evil.example' } }).params;
  assert.deepEqual(ok('apps.current', {}), {});
  assert.deepEqual(ok('streams.open', { peerId, protocol: 'chat/1.0.0', x: 1 }), { peerId, protocol: 'chat/1.0.0' });
  assert.deepEqual(ok('streams.handle', { protocol: 'chat/1.0.0' }), { protocol: 'chat/1.0.0' });
  assert.deepEqual(ok('streams.unhandle', { handler: 'h1' }), { handler: 'h1' });
  assert.deepEqual(ok('streams.write', { stream: 's1', data: 'aGk=' }), { stream: 's1', data: 'aGk=' });
  assert.deepEqual(ok('streams.close', { stream: 's1' }), { stream: 's1' });
  assert.deepEqual(ok('streams.reset', { stream: 's1' }), { stream: 's1' });
  assert.deepEqual(ok('storage.put', { key: 'a/b', data: '' }), { key: 'a/b', data: '' });
  assert.deepEqual(ok('storage.get', { key: 'a/b' }), { key: 'a/b' });
  assert.deepEqual(ok('storage.delete', { key: 'a/b' }), { key: 'a/b' });
  assert.deepEqual(ok('storage.list', {}), {});
  assert.deepEqual(ok('storage.list', { prefix: 'a/' }), { prefix: 'a/' });
  assert.deepEqual(ok('dht.get', { key: 'profile' }), { key: 'profile' });
  assert.deepEqual(ok('dht.put', { key: 'profile', value: 'AQID' }), { key: 'profile', value: 'AQID' });
});

test('app platform page requests with bad params are refused before the daemon', () => {
  rejects({ id: 1, method: 'streams.open', params: { peerId: 'not-a-peer', protocol: 'chat' } }, INVALID_PARAMS);
  rejects({ id: 1, method: 'streams.open', params: { peerId: '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA', protocol: 'a b' } }, INVALID_PARAMS);
  rejects({ id: 1, method: 'streams.handle', params: {} }, INVALID_PARAMS);
  rejects({ id: 1, method: 'streams.write', params: { stream: 's1', data: '***' } }, INVALID_PARAMS);
  rejects({ id: 1, method: 'streams.write', params: { stream: 's1', data: bytesToBase64(new Uint8Array(MAX_DATA_BYTES + 1)) } }, INVALID_PARAMS);
  rejects({ id: 1, method: 'storage.get', params: { key: '' } }, INVALID_PARAMS);
  rejects({ id: 1, method: 'storage.get', params: { key: 'x'.repeat(MAX_STORAGE_KEY_LENGTH + 1) } }, INVALID_PARAMS);
  rejects({ id: 1, method: 'storage.put', params: { key: 'a\nb', data: '' } }, INVALID_PARAMS);
  rejects({ id: 1, method: 'dht.put', params: { key: 'k' } }, INVALID_PARAMS);
  for (const method of ['apps.install', 'apps.remove', 'apps.usage', 'settings.set', 'dht.provide']) rejects({ id: 1, method }, UNAUTHORIZED);
});

test('notifications.show: a bounded title and an optional body (newlines allowed), nothing else', () => {
  const ok = (params) => validatePageRequest({ id: 1, method: 'notifications.show', params }).params;
  assert.deepEqual(ok({ title: 'New message', icon: 'https://tracker.example/p.png' }), { title: 'New message' });
  assert.deepEqual(ok({ title: 't', body: 'line 1\nline 2' }), { title: 't', body: 'line 1\nline 2' });
  assert.deepEqual(ok({ title: 'x'.repeat(MAX_NOTIFICATION_TITLE), body: '' }), { title: 'x'.repeat(MAX_NOTIFICATION_TITLE), body: '' });
  for (const params of [{}, { title: '' }, { title: 'x'.repeat(MAX_NOTIFICATION_TITLE + 1) }, { title: 'a\nb' },
    { title: 't', body: 'x'.repeat(MAX_NOTIFICATION_BODY + 1) }, { title: 't', body: 'a\u0007' }, { title: 42 }]) {
    rejects({ id: 1, method: 'notifications.show', params }, INVALID_PARAMS);
  }
});
