import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamTable } from '../page-streams.js';

const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA';

test('streams and handlers belong to the page that opened them', () => {
  const table = new StreamTable();
  const a = { name: 'a' };
  const b = { name: 'b' };
  table.addStream(a, 's1', { protocol: 'chat', peerId: PEER });
  table.addHandler(b, 'h1', 'chat');
  assert.equal(table.ownsStream(a, 's1'), true);
  assert.equal(table.ownsStream(b, 's1'), false, 'another page cannot write to, close or reset it');
  assert.equal(table.ownsHandler(b, 'h1'), true);
  assert.equal(table.ownsHandler(a, 'h1'), false);
  assert.equal(table.streamCount(a), 1);
  assert.equal(table.handlerCount(b), 1);
  assert.equal(table.stream('s1').peerId, PEER);
});

test('a stream is forgotten once both directions ended', () => {
  const table = new StreamTable();
  const page = {};
  table.addStream(page, 's1', { protocol: 'chat', peerId: PEER });
  assert.equal(table.ended('s1', 'remote'), false);
  assert.equal(table.ownsStream(page, 's1'), true, 'the page may still write after the remote FIN');
  assert.equal(table.ended('s1', 'local'), true);
  assert.equal(table.stream('s1'), undefined);
  assert.equal(table.ended('unknown', 'local'), false);
});

test('take removes what a revoked capability covered, or everything of a page', () => {
  const table = new StreamTable();
  const page = {};
  const other = {};
  table.addStream(page, 's1', { protocol: 'chat', peerId: PEER });
  table.addStream(page, 's2', { protocol: 'files', peerId: PEER });
  table.addHandler(page, 'h1', 'chat');
  table.addStream(other, 's3', { protocol: 'chat', peerId: PEER });
  assert.deepEqual(table.take(page, 'stream:chat'), { streams: ['s1'], handlers: ['h1'] });
  assert.deepEqual(table.takeUngranted(page, ['stream:files']), { streams: [], handlers: [] });
  assert.deepEqual(table.takeUngranted(page, []), { streams: ['s2'], handlers: [] });
  assert.equal(table.ownsStream(other, 's3'), true, 'other pages keep theirs');
  assert.deepEqual(table.take(other), { streams: ['s3'], handlers: [] });
});

test('clear returns every page\'s streams and handlers (the daemon went away)', () => {
  const table = new StreamTable();
  const a = {};
  const b = {};
  table.addStream(a, 's1', { protocol: 'chat', peerId: PEER });
  table.addHandler(b, 'h1', 'chat');
  const cleared = table.clear();
  assert.deepEqual(cleared.get(a), { streams: ['s1'], handlers: [] });
  assert.deepEqual(cleared.get(b), { streams: [], handlers: ['h1'] });
  assert.equal(table.streamCount(a), 0);
});
