import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decision, MAX_QUEUED_REQUESTS, PromptQueue, QueueFullError } from '../prompt-queue.js';

function fakeWindows() {
  const log = [];
  let nextId = 100;
  return {
    log,
    window: {
      open: async () => { const id = nextId++; log.push(['open', id]); return id; },
      focus: (id) => log.push(['focus', id]),
      close: (id) => log.push(['close', id]),
      changed: () => log.push(['changed']),
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('one window for several requests; each decision shows the next; the last closes the window', async () => {
  const { log, window } = fakeWindows();
  const queue = new PromptQueue(window);
  const a = queue.enqueue({ origin: 'https://a.example', capabilities: ['pubsub:chat'], owner: 'tabA' });
  const b = queue.enqueue({ origin: 'https://b.example', capabilities: ['peers:read'], owner: 'tabB' });
  await tick();
  assert.deepEqual(log.filter(([op]) => op === 'open'), [['open', 100]], 'a second request joins the queue');
  assert.deepEqual(queue.head(), { id: 1, origin: 'https://a.example', capabilities: ['pubsub:chat'], waiting: 1 });

  queue.decide(1, true);
  assert.equal(await a, Decision.APPROVED);
  assert.equal(queue.head().origin, 'https://b.example');
  queue.decide(2, false);
  assert.equal(await b, Decision.DENIED);
  assert.equal(queue.head(), null);
  assert.deepEqual(log.at(-1), ['close', 100]);

  queue.enqueue({ origin: 'https://c.example', capabilities: ['pubsub:x'], owner: 'tabC' });
  await tick();
  assert.deepEqual(log.at(-1), ['open', 101], 'a later request opens a new window');
});

test('a request while the window is open focuses it instead of opening another', async () => {
  const { log, window } = fakeWindows();
  const queue = new PromptQueue(window);
  queue.enqueue({ origin: 'https://a.example', capabilities: ['pubsub:chat'], owner: 1 });
  await tick();
  queue.enqueue({ origin: 'https://a.example', capabilities: ['pubsub:news'], owner: 1 });
  assert.deepEqual(log, [['open', 100], ['focus', 100], ['changed']]);
});

test('closing the window dismisses everything pending', async () => {
  const { window } = fakeWindows();
  const queue = new PromptQueue(window);
  const a = queue.enqueue({ origin: 'https://a.example', capabilities: ['pubsub:chat'], owner: 1 });
  const b = queue.enqueue({ origin: 'https://b.example', capabilities: ['pubsub:chat'], owner: 2 });
  await tick();
  queue.windowClosed(999);
  assert.equal(queue.size, 2, 'another window closing changes nothing');
  queue.windowClosed(100);
  assert.equal(await a, Decision.DISMISSED);
  assert.equal(await b, Decision.DISMISSED);
  assert.equal(queue.size, 0);
});

test('a page that goes away loses its queued requests; others stay', async () => {
  const { log, window } = fakeWindows();
  const queue = new PromptQueue(window);
  const a = queue.enqueue({ origin: 'https://a.example', capabilities: ['pubsub:chat'], owner: 'tabA' });
  queue.enqueue({ origin: 'https://b.example', capabilities: ['pubsub:chat'], owner: 'tabB' });
  await tick();
  queue.cancelOwner('tabA');
  assert.equal(await a, Decision.CANCELLED);
  assert.equal(queue.head().origin, 'https://b.example');
  assert.deepEqual(log.at(-1), ['changed']);
});

test('the queue is bounded', () => {
  const { window } = fakeWindows();
  const queue = new PromptQueue(window);
  for (let i = 0; i < MAX_QUEUED_REQUESTS; i++) queue.enqueue({ origin: 'https://a.example', capabilities: ['pubsub:x'], owner: i });
  assert.throws(() => queue.enqueue({ origin: 'https://a.example', capabilities: ['pubsub:x'], owner: -1 }), QueueFullError);
});

test('a window that cannot open dismisses the requests', async () => {
  const queue = new PromptQueue({ open: async () => { throw new Error('no windows'); }, focus() {}, close() {}, changed() {} });
  const original = console.warn;
  console.warn = () => {};
  try {
    assert.equal(await queue.enqueue({ origin: 'https://a.example', capabilities: ['pubsub:x'], owner: 1 }), Decision.DISMISSED);
  } finally {
    console.warn = original;
  }
});

test('"Allow once" is its own decision', async () => {
  const { window } = fakeWindows();
  const queue = new PromptQueue(window);
  const a = queue.enqueue({ origin: 'https://a.example', capabilities: ['storage'], owner: 1 });
  const b = queue.enqueue({ origin: 'https://a.example', capabilities: ['storage'], owner: 2 });
  queue.decide(1, true, { once: true });
  queue.decide(2, true);
  assert.equal(await a, Decision.APPROVED_ONCE);
  assert.equal(await b, Decision.APPROVED);
});
