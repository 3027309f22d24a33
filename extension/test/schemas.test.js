// The messages the extension sends to the host, and host messages it accepts, agree with the
// bridge protocol's JSON Schemas (shared-protocol/src/main/resources/schemas, draft 2020-12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { HostPort } from '../host-port.js';
import { classifyHostMessage, toHostParams, validatePageRequest } from '../messages.js';
import { FakePort } from './fake-port.js';

const SCHEMAS = fileURLToPath(new URL('../../shared-protocol/src/main/resources/schemas/', import.meta.url));
const BASE = 'https://omnipeer.io/schemas/';
const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json'))) {
  ajv.addSchema(JSON.parse(readFileSync(SCHEMAS + file, 'utf8')));
}

function assertValid(schema, message) {
  const validate = ajv.getSchema(BASE + schema);
  assert.ok(validate, `schema ${schema} loaded`);
  assert.ok(validate(message), `${JSON.stringify(message).slice(0, 200)}: ${ajv.errorsText(validate.errors)}`);
}

/** What HostPort actually writes for a call. */
function sent(method, params) {
  const port = new FakePort();
  const host = new HostPort({ connect: () => port });
  host.request(method, params).catch(() => {});
  port.close();
  return port.posted[0];
}

const ORIGIN = 'http://127.0.0.1:8080';
const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA';

test('page requests forwarded with their origin match request.schema.json', () => {
  const pageRequests = [
    { id: 1, method: 'node.info' },
    { id: 2, method: 'peers.list', params: { origin: 'https://spoofed.example' } },
    { id: 3, method: 'grants.list' },
    { id: 4, method: 'pubsub.subscribe', params: { topic: 'chat' } },
    { id: 5, method: 'pubsub.publish', params: { topic: 'chat', data: 'aGVsbG8=' } },
    { id: 6, method: 'pubsub.unsubscribe', params: { subscription: 'sub-1' } },
    { id: 7, method: 'dht.get', params: { key: 'profile/alice' } },
    { id: 8, method: 'dht.put', params: { key: 'profile/alice', value: 'AQID' } },
    { id: 9, method: 'streams.open', params: { peerId: PEER, protocol: 'chat/1.0.0' } },
    { id: 10, method: 'streams.handle', params: { protocol: 'chat/1.0.0' } },
    { id: 11, method: 'streams.unhandle', params: { handler: 'h1' } },
    { id: 12, method: 'streams.write', params: { stream: 's1', data: 'aGk=' } },
    { id: 13, method: 'streams.close', params: { stream: 's1' } },
    { id: 14, method: 'streams.reset', params: { stream: 's1' } },
  ];
  for (const raw of pageRequests) {
    const request = validatePageRequest(raw);
    const message = sent(request.method, toHostParams(request, ORIGIN));
    assert.equal(message.params.origin, ORIGIN);
    assertValid('request.schema.json', message);
    assertValid('bridge-message.schema.json', message);
  }
});

test('the service worker\'s own requests (prompt approval, popup) match request.schema.json', () => {
  for (const [method, params] of [
    ['grants.add', { origin: ORIGIN, capabilities: ['pubsub:chat', 'peers:read'] }],
    ['grants.revoke', { origin: ORIGIN }],
    ['grants.revoke', { origin: ORIGIN, capability: 'pubsub:chat' }],
    ['grants.list', {}],
    ['grants.list', { origin: ORIGIN }],
    ['node.info', {}],
    ['pubsub.unsubscribe', { subscription: 'sub-1' }],
  ]) {
    assertValid('request.schema.json', sent(method, params));
  }
});

test('schema-valid host messages are classified as the extension expects', () => {
  const samples = [
    [{ jsonrpc: '2.0', id: 1, result: { peerId: PEER, listenAddrs: ['/ip4/127.0.0.1/tcp/4001'], connectedPeers: 1, agentVersion: 'omnipeer/0.1.0' } }, 'response'],
    [{ jsonrpc: '2.0', id: 2, error: { code: 4100, message: 'no grant' } }, 'response'],
    [{ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request' } }, 'response'],
    [{ jsonrpc: '2.0', method: 'pubsub.message', params: { subscription: 's1', topic: 'chat', from: PEER, data: 'aGk=', seqno: 'AAAAAAAAAAE=' } }, 'notification'],
    [{ jsonrpc: '2.0', method: 'grants.changed', params: { origin: ORIGIN } }, 'notification'],
    [{ jsonrpc: '2.0', method: 'peers.changed', params: { connectedPeers: 0 } }, 'notification'],
    [{ jsonrpc: '2.0', method: 'streams.incoming', params: { handler: 'h1', stream: 's1', peerId: PEER, protocol: 'chat/1.0.0' } }, 'notification'],
    [{ jsonrpc: '2.0', method: 'streams.data', params: { stream: 's1', data: 'aGk=' } }, 'notification'],
    [{ jsonrpc: '2.0', method: 'streams.closed', params: { stream: 's1', reason: 'permission revoked' } }, 'notification'],
    [{ jsonrpc: '2.0', id: 9, result: { stream: 's1' } }, 'response'],
    [{ chunk: { id: '0b6a3e8e-46a4-4c59-9a1b-8d3c1c1f8a10', index: 0, count: 2, data: '{"jsonrpc"' } }, 'chunk'],
  ];
  for (const [message, kind] of samples) {
    assertValid('bridge-message.schema.json', message);
    assert.equal(classifyHostMessage(message).kind, kind, JSON.stringify(message));
  }
});
