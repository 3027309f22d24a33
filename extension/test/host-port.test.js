import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISCONNECTED } from '../errors.js';
import { HostPort } from '../host-port.js';
import { FakePort } from './fake-port.js';

function setup(options = {}) {
  const ports = [];
  let lastError;
  const host = new HostPort({
    connect: () => { const port = new FakePort(); ports.push(port); return port; },
    lastError: () => lastError,
    ...options,
  });
  return { host, ports, setLastError: (e) => { lastError = e; } };
}

test('connects lazily and matches responses to requests by id', async () => {
  const { host, ports } = setup();
  assert.equal(ports.length, 0);
  const first = host.request('node.info');
  const second = host.request('peers.list', { origin: 'https://a.example' });
  const [port] = ports;
  assert.deepEqual(port.posted, [
    { jsonrpc: '2.0', id: 1, method: 'node.info', params: {} },
    { jsonrpc: '2.0', id: 2, method: 'peers.list', params: { origin: 'https://a.example' } },
  ]);
  port.receive({ jsonrpc: '2.0', id: 2, result: { peers: [] } });
  port.receive({ jsonrpc: '2.0', id: 1, error: { code: 4100, message: 'no grant' } });
  assert.deepEqual(await second, { peers: [] });
  await assert.rejects(first, { code: 4100, message: 'no grant' });
  assert.equal(host.connected, true);
});

test('notifications go to listeners; chunked messages are reassembled first', async () => {
  const { host, ports } = setup();
  const seen = [];
  host.onNotification((method, params) => seen.push([method, params]));
  const call = host.request('peers.list');
  const port = ports[0];
  port.receive({ jsonrpc: '2.0', method: 'peers.changed', params: { connectedPeers: 3 } });
  const text = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { peers: [{ peerId: 'x'.repeat(100) }] } });
  const id = '0b6a3e8e-46a4-4c59-9a1b-8d3c1c1f8a10';
  port.receive({ chunk: { id, index: 1, count: 2, data: text.slice(40) } });
  port.receive({ chunk: { id, index: 0, count: 2, data: text.slice(0, 40) } });
  assert.deepEqual(await call, { peers: [{ peerId: 'x'.repeat(100) }] });
  assert.deepEqual(seen, [['peers.changed', { connectedPeers: 3 }]]);
});

test('a host that exits rejects every pending call with 4900 and the reason; the next call reconnects', async () => {
  const { host, ports, setLastError } = setup();
  const states = [];
  host.onStateChange((connected, reason) => states.push([connected, reason]));
  const a = host.request('node.info');
  const b = host.request('grants.list');
  setLastError('Specified native messaging host not found.');
  ports[0].close();
  await assert.rejects(a, (e) => e.code === DISCONNECTED && e.message.includes('native messaging host not found'));
  await assert.rejects(b, { code: DISCONNECTED });
  assert.deepEqual(states, [[false, 'Specified native messaging host not found.']]);
  assert.equal(host.lastFailure, 'Specified native messaging host not found.');

  const c = host.request('node.info');
  assert.equal(ports.length, 2, 'a new port for the next call');
  ports[1].receive({ jsonrpc: '2.0', id: 3, result: { peerId: 'p' } });
  assert.deepEqual(await c, { peerId: 'p' });
  assert.deepEqual(states.at(-1), [true, undefined]);
  assert.equal(host.lastFailure, null);
});

test('a silent host times out with 4900', async () => {
  const { host } = setup({ timeoutMs: 20 });
  await assert.rejects(host.request('node.info'), (e) => e.code === DISCONNECTED && /within 20 ms/.test(e.message));
});

test('connectNative throwing is a 4900, not an exception', async () => {
  const host = new HostPort({ connect: () => { throw new Error('native messaging not allowed'); } });
  await assert.rejects(host.request('node.info'), (e) => e.code === DISCONNECTED && /not allowed/.test(e.message));
});

test('late and unknown responses are ignored', async () => {
  const { host, ports } = setup();
  const call = host.request('node.info');
  ports[0].receive({ jsonrpc: '2.0', id: 99, result: {} });
  ports[0].receive({ garbage: true });
  ports[0].receive({ jsonrpc: '2.0', id: 1, result: { ok: true } });
  ports[0].receive({ jsonrpc: '2.0', id: 1, result: { ok: false } });
  assert.deepEqual(await call, { ok: true });
});
