import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkAssembler, ChunkError, MAX_CHUNK_COUNT, MAX_MESSAGE_CHARS, MAX_PARTIAL_MESSAGES } from '../chunks.js';

/** Splits JSON text into chunk descriptors the way the shim does (slices of the text). */
function split(message, count, id = '0b6a3e8e-46a4-4c59-9a1b-8d3c1c1f8a10') {
  const text = JSON.stringify(message);
  const size = Math.ceil(text.length / count);
  return Array.from({ length: count }, (_, index) => ({ id, index, count, data: text.slice(index * size, (index + 1) * size) }));
}

const big = { jsonrpc: '2.0', id: 7, result: { peers: Array.from({ length: 50 }, (_, i) => ({ peerId: `p${i}`, note: 'é😀"\\' })) } };

test('reassembles chunks in order', () => {
  const assembler = new ChunkAssembler();
  const chunks = split(big, 4);
  for (const chunk of chunks.slice(0, 3)) assert.equal(assembler.accept(chunk), null);
  assert.deepEqual(assembler.accept(chunks[3]), big);
  assert.equal(assembler.pending, 0);
});

test('reassembles chunks out of order and interleaved with another message', () => {
  const assembler = new ChunkAssembler();
  const a = split(big, 3, 'a');
  const other = { jsonrpc: '2.0', method: 'peers.changed', params: { connectedPeers: 1 } };
  const b = split(other, 2, 'b');
  assert.equal(assembler.accept(a[2]), null);
  assert.equal(assembler.accept(b[1]), null);
  assert.equal(assembler.accept(a[0]), null);
  assert.deepEqual(assembler.accept(b[0]), other);
  assert.deepEqual(assembler.accept(a[1]), big);
});

test('malformed chunks throw ChunkError and drop that message', () => {
  const assembler = new ChunkAssembler();
  const chunks = split(big, 3);
  assembler.accept(chunks[0]);
  assert.throws(() => assembler.accept(chunks[0]), ChunkError, 'duplicate index');
  assert.equal(assembler.pending, 0);
  assert.throws(() => assembler.accept({ ...chunks[1], index: 3 }), ChunkError);
  assert.throws(() => assembler.accept({ ...chunks[1], index: -1 }), ChunkError);
  assert.throws(() => assembler.accept({ ...chunks[1], count: MAX_CHUNK_COUNT + 1 }), ChunkError);
  assert.throws(() => assembler.accept({ ...chunks[1], data: 5 }), ChunkError);
  assert.throws(() => assembler.accept({ ...chunks[1], id: '' }), ChunkError);
  assert.throws(() => assembler.accept(null), ChunkError);
  assembler.accept(chunks[0]);
  assert.throws(() => assembler.accept({ ...chunks[1], count: 4 }), ChunkError, 'count changed');
});

test('unparseable reassembled text is an error, not a crash', () => {
  const assembler = new ChunkAssembler();
  assembler.accept({ id: 'x', index: 0, count: 2, data: '{"a":' });
  assert.throws(() => assembler.accept({ id: 'x', index: 1, count: 2, data: '}' }), /not valid JSON/);
});

test('bounded: messages in flight and total size', () => {
  const assembler = new ChunkAssembler();
  for (let i = 0; i < MAX_PARTIAL_MESSAGES; i++) assembler.accept({ id: `m${i}`, index: 0, count: 2, data: '' });
  assert.throws(() => assembler.accept({ id: 'one-more', index: 0, count: 2, data: '' }), /in flight/);
  assembler.clear();
  const slice = 'x'.repeat(MAX_MESSAGE_CHARS / 2);
  assembler.accept({ id: 'huge', index: 0, count: 3, data: slice });
  assembler.accept({ id: 'huge', index: 1, count: 3, data: slice });
  assert.throws(() => assembler.accept({ id: 'huge', index: 2, count: 3, data: 'x' }), /exceeds/);
});
