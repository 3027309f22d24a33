import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISCONNECTED, INVALID_PARAMS, RESOURCE_LIMIT, UNAUTHORIZED } from '../errors.js';
import { MAX_STREAMS_PER_PAGE } from '../page-streams.js';
import { StreamRouter } from '../stream-router.js';

const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA';

function setup() {
  const sent = [];
  const host = { connected: true, request: async (method, params) => { sent.push([method, params]); return {}; } };
  const live = new Set();
  const page = (origin) => {
    const p = { origin, port: { events: [] } };
    live.add(p);
    return p;
  };
  const router = new StreamRouter({ host, post: (port, message) => port.events.push(message), isLive: (p) => live.has(p) });
  return { router, host, sent, live, page };
}

const request = (method, params) => ({ id: 1, method, params });

test('incoming streams go to the page that handles the protocol; data and FIN follow them', async () => {
  const { router, page, sent } = setup();
  const a = page('https://a.example');
  router.opened(a, 'streams.handle', { protocol: 'chat' }, { handler: 'h1' });
  router.incoming({ handler: 'h1', stream: 's1', peerId: PEER, protocol: '/omnipeer/app/x/chat' });
  router.data({ stream: 's1', data: 'aGk=' });
  router.closed({ stream: 's1' });
  assert.deepEqual(a.port.events, [
    { event: 'streamIncoming', data: { handler: 'h1', stream: 's1', peerId: PEER, protocol: 'chat' } },
    { event: 'streamData', data: { stream: 's1', data: 'aGk=' } },
    { event: 'streamClosed', data: { stream: 's1' } },
  ]);
  await router.forwardOwn(a, request('streams.write', { stream: 's1', data: 'aGk=' }));
  assert.deepEqual(sent.at(-1), ['streams.write', { stream: 's1', data: 'aGk=', origin: 'https://a.example' }],
    'the page may still write after the remote FIN');
  router.incoming({ handler: 'nobody', stream: 's9', peerId: PEER });
  assert.deepEqual(sent.at(-1), ['streams.reset', { stream: 's9' }], 'a stream nobody handles is reset');
});

test('a page acts only on its own streams and handlers', async () => {
  const { router, page } = setup();
  const a = page('https://a.example');
  const b = page('https://b.example');
  router.opened(a, 'streams.open', { peerId: PEER, protocol: 'chat' }, { stream: 's1' });
  router.opened(a, 'streams.handle', { protocol: 'chat' }, { handler: 'h1' });
  for (const method of ['streams.write', 'streams.close', 'streams.reset']) {
    await assert.rejects(router.forwardOwn(b, request(method, { stream: 's1', data: '' })), { code: INVALID_PARAMS });
  }
  await assert.rejects(router.forwardOwn(b, request('streams.unhandle', { handler: 'h1' })), { code: INVALID_PARAMS });
  await router.forwardOwn(a, request('streams.reset', { stream: 's1' }));
  await assert.rejects(router.forwardOwn(a, request('streams.write', { stream: 's1', data: '' })), { code: INVALID_PARAMS },
    'a reset stream is gone');
});

test('revocation ends the covered streams with 4100 and tells the daemon; other protocols stay', () => {
  const { router, page, sent } = setup();
  const a = page('https://a.example');
  router.opened(a, 'streams.open', { peerId: PEER, protocol: 'chat' }, { stream: 's1' });
  router.opened(a, 'streams.open', { peerId: PEER, protocol: 'files' }, { stream: 's2' });
  router.opened(a, 'streams.handle', { protocol: 'chat' }, { handler: 'h1' });
  router.revoke(a, 'stream:chat');
  assert.deepEqual(a.port.events, [
    { event: 'streamClosed', data: { stream: 's1', reason: 'permission revoked', code: UNAUTHORIZED } },
    { event: 'handlerClosed', data: { handler: 'h1', reason: 'permission revoked' } },
  ]);
  assert.deepEqual(sent, [['streams.reset', { stream: 's1' }], ['streams.unhandle', { handler: 'h1' }]]);
  router.keepOnly(a, ['stream:files']);
  assert.equal(router.hasStreams(a), true);
  router.closed({ stream: 's2', reason: 'reset by the remote peer' });
  assert.deepEqual(a.port.events.at(-1), { event: 'streamClosed', data: { stream: 's2', reason: 'reset by the remote peer', code: DISCONNECTED } });
  assert.equal(router.hasStreams(a), false);
});

test('a page that goes away leaves nothing open; a stream opened for a page already gone is reset', () => {
  const { router, page, sent, live } = setup();
  const a = page('https://a.example');
  router.opened(a, 'streams.open', { peerId: PEER, protocol: 'chat' }, { stream: 's1' });
  router.opened(a, 'streams.handle', { protocol: 'chat' }, { handler: 'h1' });
  live.delete(a);
  router.pageGone(a);
  assert.deepEqual(sent, [['streams.reset', { stream: 's1', origin: 'https://a.example' }],
    ['streams.unhandle', { handler: 'h1', origin: 'https://a.example' }]]);
  router.opened(a, 'streams.open', { peerId: PEER, protocol: 'chat' }, { stream: 's2' });
  assert.deepEqual(sent.at(-1), ['streams.reset', { stream: 's2', origin: 'https://a.example' }]);
});

test('the daemon going away ends every stream with 4900; per-page bounds give 4290', () => {
  const { router, page } = setup();
  const a = page('https://a.example');
  router.opened(a, 'streams.open', { peerId: PEER, protocol: 'chat' }, { stream: 's1' });
  router.disconnected();
  assert.equal(a.port.events[0].data.code, DISCONNECTED);
  for (let i = 0; i < MAX_STREAMS_PER_PAGE; i++) router.opened(a, 'streams.open', { peerId: PEER, protocol: 'chat' }, { stream: `x${i}` });
  assert.throws(() => router.checkLimits(a, 'streams.open'), { code: RESOURCE_LIMIT });
  router.checkLimits(a, 'streams.handle');
});
