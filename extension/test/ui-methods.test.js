import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INVALID_PARAMS } from '../errors.js';
import { MAX_KIBPS, MAX_MANIFEST_CHARS, forwardedUiParams, revokeParams } from '../ui-methods.js';

const signed = { manifest: { id: 'io.example.chat', name: 'Chat' }, signature: 'AAAA' };

test('the popup\'s daemon calls are rebuilt from known fields', () => {
  assert.deepEqual(forwardedUiParams('apps.list', { origin: 'https://evil.example' }), {});
  assert.deepEqual(forwardedUiParams('apps.install', { manifest: signed, extra: 1 }), { manifest: signed });
  assert.deepEqual(forwardedUiParams('apps.enable', { id: 'io.example.chat' }), { id: 'io.example.chat' });
  assert.deepEqual(forwardedUiParams('apps.remove', { id: 'io.example.chat', purge: 'yes' }), { id: 'io.example.chat', purge: false });
  assert.deepEqual(forwardedUiParams('apps.remove', { id: 'io.example.chat', purge: true }), { id: 'io.example.chat', purge: true });
  assert.deepEqual(forwardedUiParams('settings.set', { settings: { bandwidthInKiBps: 512, other: 3 } }), { settings: { bandwidthInKiBps: 512 } });
  assert.equal(forwardedUiParams('grants.add', {}), null, 'not something the views forward');
  assert.equal(forwardedUiParams('toString', {}), null);
});

test('bad view params are -32602', () => {
  const bad = (method, params) => assert.throws(() => forwardedUiParams(method, params), { code: INVALID_PARAMS }, method);
  bad('apps.install', { manifest: { name: 'x' } });
  bad('apps.install', { manifest: [] });
  bad('apps.install', { manifest: { ...signed, padding: 'x'.repeat(MAX_MANIFEST_CHARS) } });
  bad('apps.enable', {});
  bad('settings.set', { settings: { bandwidthInKiBps: -1 } });
  bad('settings.set', { settings: { bandwidthOutKiBps: MAX_KIBPS + 1 } });
  bad('settings.set', { settings: { bandwidthOutKiBps: 1.5 } });
  bad('settings.set', { settings: {} });
  assert.throws(() => revokeParams({}), { code: INVALID_PARAMS });
  assert.deepEqual(revokeParams({ origin: 'app:io.example.chat', capability: 'storage', x: 1 }), { origin: 'app:io.example.chat', capability: 'storage' });
});
