import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakePage, base64, text } from './fake-page.js';

const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA';

async function openedStream(page) {
  const opening = page.p2p.streams.open(PEER, 'chat/1.0.0');
  const request = await page.answer('streams.open', { stream: 's1' });
  assert.deepEqual(request.params, { peerId: PEER, protocol: 'chat/1.0.0' });
  return opening;
}

test('the page API is frozen and has the app platform helpers', () => {
  const { p2p } = new FakePage();
  for (const part of [p2p, p2p.streams, p2p.storage, p2p.dht, p2p.apps]) assert.ok(Object.isFrozen(part));
  assert.equal(typeof p2p.streams.open, 'function');
  assert.equal(typeof p2p.streams.handle, 'function');
  for (const name of ['get', 'put', 'delete', 'list']) assert.equal(typeof p2p.storage[name], 'function');
  assert.equal(typeof p2p.dht.get, 'function');
  assert.equal(typeof p2p.apps.current, 'function');
});

test('streams.open gives a duplex stream: write resolves when written, data is read in order, FIN ends reading', async () => {
  const page = new FakePage();
  const stream = await openedStream(page);
  assert.equal(stream.peerId, PEER);
  assert.ok(Object.isFrozen(stream));

  const writing = stream.write('hello');
  const write = await page.next('streams.write');
  assert.deepEqual(write.params, { stream: 's1', data: base64('hello') });
  let written = false;
  writing.then(() => { written = true; });
  await new Promise((r) => setImmediate(r));
  assert.equal(written, false, 'write waits for the daemon');
  page.respond(write.id, {});
  await writing;

  const pendingRead = stream.read();
  page.event('streamData', { stream: 's1', data: base64('one') });
  page.event('streamData', { stream: 's1', data: base64('two') });
  assert.equal(text(await pendingRead), 'one');
  assert.equal(text(await stream.read()), 'two');
  page.event('streamClosed', { stream: 's1' });
  assert.equal(await stream.read(), null, 'remote FIN ends reading');

  const closing = stream.close();
  await page.answer('streams.close', {});
  await closing;
  assert.deepEqual(await stream.closed, { reason: null });
  await assert.rejects(stream.write('late'), { code: -32602 });
});

test('async iteration yields chunks until the remote end closes', async () => {
  const page = new FakePage();
  const stream = await openedStream(page);
  const seen = [];
  const loop = (async () => { for await (const chunk of stream) seen.push(text(chunk)); })();
  for (const word of ['a', 'b', 'c']) page.event('streamData', { stream: 's1', data: base64(word) });
  page.event('streamClosed', { stream: 's1' });
  await loop;
  assert.deepEqual(seen, ['a', 'b', 'c']);
});

test('revocation rejects pending reads with 4100 and ends the stream; a disconnect ends every stream with 4900', async () => {
  const page = new FakePage();
  const stream = await openedStream(page);
  const read = stream.read();
  page.event('streamClosed', { stream: 's1', reason: 'permission revoked', code: 4100 });
  await assert.rejects(read, { code: 4100 });
  await assert.rejects(stream.read(), { code: 4100 });
  await assert.rejects(stream.write('x'), { code: 4100 });
  assert.deepEqual(await stream.closed, { reason: 'permission revoked', code: 4100 });

  const opening = page.p2p.streams.open(PEER, 'chat/1.0.0');
  await page.answer('streams.open', { stream: 's2' });
  const second = await opening;
  const pending = second.read();
  page.event('disconnect', { code: 4900, message: 'The Omnipeer extension restarted' });
  await assert.rejects(pending, { code: 4900 });
  assert.equal((await second.closed).code, 4900);
});

test('reset aborts both directions and tells the daemon', async () => {
  const page = new FakePage();
  const stream = await openedStream(page);
  const read = stream.read();
  const resetting = stream.reset();
  await assert.rejects(read, { code: 4900 });
  await page.answer('streams.reset', {});
  await resetting;
  assert.equal((await stream.closed).reason, 'reset by this page');
});

test('a long write is split into 256 KiB writes, each waiting for the one before', async () => {
  const page = new FakePage();
  const stream = await openedStream(page);
  const writing = stream.write(new Uint8Array(2 * 256 * 1024 + 10));
  const sizes = [];
  for (let i = 0; i < 3; i++) {
    const request = await page.answer('streams.write', {});
    sizes.push(Buffer.from(request.params.data, 'base64').length);
  }
  await writing;
  assert.deepEqual(sizes, [256 * 1024, 256 * 1024, 10]);
});

test('handle registers a protocol; incoming streams reach onStream; the unhandle function unregisters', async () => {
  const page = new FakePage();
  const accepted = [];
  const handling = page.p2p.streams.handle('chat/1.0.0', (stream) => accepted.push(stream));
  assert.deepEqual((await page.answer('streams.handle', { handler: 'h1' })).params, { protocol: 'chat/1.0.0' });
  const unhandle = await handling;
  assert.equal(typeof unhandle, 'function');

  page.event('streamIncoming', { handler: 'h1', stream: 'in1', peerId: PEER, protocol: 'chat/1.0.0' });
  assert.equal(accepted.length, 1);
  assert.equal(accepted[0].peerId, PEER);
  page.event('streamData', { stream: 'in1', data: base64('ping') });
  assert.equal(text(await accepted[0].read()), 'ping');

  const unhandling = unhandle();
  assert.deepEqual((await page.answer('streams.unhandle', {})).params, { handler: 'h1' });
  await unhandling;
  page.event('streamIncoming', { handler: 'h1', stream: 'in2', peerId: PEER, protocol: 'chat/1.0.0' });
  assert.equal(accepted.length, 1, 'no callback after unhandle');
  assert.deepEqual((await page.next('streams.reset')).params, { stream: 'in2' }, 'an unwanted stream is reset');
});

test('storage, dht and apps helpers map to their methods with base64 binary', async () => {
  const page = new FakePage();
  const { p2p } = page;
  const put = p2p.storage.put('notes/1', 'hello');
  assert.deepEqual((await page.answer('storage.put', {})).params, { key: 'notes/1', data: base64('hello') });
  assert.equal(await put, undefined);
  const get = p2p.storage.get('notes/1');
  await page.answer('storage.get', { data: base64('hello') });
  assert.equal(text(await get), 'hello');
  const missing = p2p.storage.get('nope');
  await page.answer('storage.get', { data: null });
  assert.equal(await missing, null);
  const deleted = p2p.storage.delete('notes/1');
  await page.answer('storage.delete', { deleted: true });
  assert.equal(await deleted, true);
  const list = p2p.storage.list('notes/');
  assert.deepEqual((await page.answer('storage.list', { keys: ['notes/2'] })).params, { prefix: 'notes/' });
  assert.deepEqual(await list, ['notes/2']);

  const dhtPut = p2p.dht.put('profile', new Uint8Array([1, 2, 3]));
  assert.deepEqual((await page.answer('dht.put', { key: 'profile', peers: 3 })).params, { key: 'profile', value: 'AQID' });
  assert.deepEqual(await dhtPut, { key: 'profile', peers: 3 });
  const dhtGet = p2p.dht.get('profile');
  await page.answer('dht.get', { key: 'profile', value: 'AQID' });
  assert.deepEqual([...await dhtGet], [1, 2, 3]);

  const current = p2p.apps.current();
  await page.answer('apps.current', { app: { id: 'io.example.chat', name: 'Chat' } });
  assert.equal((await current).name, 'Chat');
});

test('errors arrive as P2PError with code; grantschanged listeners match any case', async () => {
  const page = new FakePage();
  const seen = [];
  page.p2p.on('grantschanged', (data) => seen.push(data));
  page.event('grantsChanged', { origin: 'https://app.example', capabilities: [] });
  assert.deepEqual(seen, [{ origin: 'https://app.example', capabilities: [] }]);

  const get = page.p2p.storage.get('k');
  const request = await page.next('storage.get');
  page.fail(request.id, { code: 4100, message: 'no storage grant' });
  await assert.rejects(get, (e) => e instanceof page.p2p.P2PError && e.code === 4100 && e.message === 'no storage grant');
});
