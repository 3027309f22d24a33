// MAIN-world page API: defines a frozen window.p2p and announces it (EIP-6963 style).
// One entry point, p2p.request({method, params}), with typed helpers on top (node, peers, pubsub,
// streams, storage, dht, apps); errors are P2PError objects with EIP-1193 style codes (4001 rejected,
// 4100 unauthorized, 4200 unsupported, 4290 resource limit, 4900 disconnected). Every promise settles:
// calls time out, and a lost connection to the extension ends reads and streams with 4900.
// Binary data crosses the bridge as base64. Talks only to content.js via window.postMessage.
// Kept small on purpose (DESIGN.md: IPFS Companion's window.ipfs lesson). Classic script.
(() => {
  'use strict';
  if (Object.hasOwn(window, 'p2p')) return;
  const CHANNEL = 'omnipeer:p2p:v1';
  // Event names match case-insensitively: 'grantschanged' and 'grantsChanged' are one event.
  const EVENTS = ['connect', 'disconnect', 'message', 'peersChanged', 'grantsChanged'];
  // Largest payload of one streams.write message; longer writes are split, so that each part is written within
  // the call timeout even for an app throttled to a few KiB/s (256 KiB at 16 KiB/s = 16 s).
  const MAX_WRITE_BYTES = 256 * 1024;
  // Unread bytes one stream may hold before it is reset (the daemon pushes data; the page must read).
  const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
  // Calls other than requestAccess (which waits for the user) fail after this many ms.
  const CALL_TIMEOUT_MS = 60_000;
  const postMessage = window.postMessage.bind(window);
  const { setTimeout, clearTimeout, TextEncoder, TextDecoder, atob, btoa } = window;

  class P2PError extends Error {
    constructor(code, message, data) {
      super(message);
      this.name = 'P2PError';
      this.code = code;
      if (data !== undefined) this.data = data;
    }
  }

  let nextId = 1;
  const pending = new Map();
  const listeners = new Map(EVENTS.map((name) => [name.toLowerCase(), new Set()]));
  const eventKey = (name) => String(name).toLowerCase();
  const subscriptions = new Map(); // subscription id -> onMessage
  const streams = new Map(); // stream id -> stream state
  const handlers = new Map(); // handler id -> onStream

  function emit(name, value) {
    for (const fn of [...listeners.get(eventKey(name))]) {
      try { fn(value); } catch (error) { console.error(error); }
    }
  }

  function request(args) {
    if (args === null || typeof args !== 'object' || typeof args.method !== 'string') {
      return Promise.reject(new P2PError(-32600, 'request expects {method: string, params?: object}'));
    }
    const { method, params } = args;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = method === 'p2p.requestAccess' ? null : setTimeout(() => {
        pending.delete(id);
        reject(new P2PError(4900, `No answer from the Omnipeer extension within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer, method });
      postMessage({ channel: CHANNEL, type: 'request', id, method, params }, location.origin === 'null' ? '*' : location.origin);
    });
  }

  function deliver(raw) {
    const message = Object.freeze({
      subscription: raw.subscription, topic: raw.topic, from: raw.from, seqno: raw.seqno,
      data: base64ToBytes(raw.data ?? ''), get text() { return new TextDecoder().decode(this.data); },
    });
    const onMessage = subscriptions.get(raw.subscription);
    if (onMessage) {
      try { onMessage(message); } catch (error) { console.error(error); }
    }
    emit('message', message);
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (event.source !== window || m === null || typeof m !== 'object' || m.channel !== CHANNEL) return;
    if (m.type === 'response') {
      const call = pending.get(m.id);
      if (!call) return;
      pending.delete(m.id);
      clearTimeout(call.timer);
      if (m.error) call.reject(new P2PError(m.error.code, m.error.message, m.error.data));
      else call.resolve(m.result ?? {});
    } else if (m.type === 'event') {
      const data = m.data ?? {};
      if (m.event === 'message') deliver(data);
      else if (m.event === 'subscriptionClosed') subscriptions.delete(data.subscription);
      else if (m.event === 'streamIncoming') incoming(data);
      else if (m.event === 'streamData') streams.get(data.stream)?.push(base64ToBytes(data.data ?? ''));
      else if (m.event === 'streamClosed') streams.get(data.stream)?.closedBy(data);
      else if (m.event === 'handlerClosed') handlers.delete(data.handler);
      else if (listeners.has(eventKey(m.event))) {
        if (m.event === 'disconnect') {
          subscriptions.clear();
          handlers.clear();
          for (const stream of [...streams.values()]) stream.closedBy({ reason: data.message ?? 'disconnected', code: 4900 });
        }
        emit(m.event, m.event === 'disconnect' ? new P2PError(data.code ?? 4900, data.message ?? 'disconnected') : data);
      }
    }
  });

  /**
   * A duplex stream to a remote peer: write(bytes) resolves once the daemon wrote them; read()
   * resolves to the next Uint8Array, or null after the remote end closed (FIN); async iteration
   * yields the same; close() sends FIN (reading goes on); reset() aborts both directions. After a
   * reset, revocation (4100) or disconnection (4900), read() and write() reject with that error.
   * `closed` resolves (never rejects) with {reason: null} once both ends closed, or {reason, code}.
   */
  function openStream(id, peerId, protocol) {
    const chunks = [];
    const readers = [];
    let buffered = 0;
    let remoteEnded = false;
    let localEnded = false;
    let error = null;
    let finish;
    const closed = new Promise((resolve) => { finish = resolve; });
    const done = (outcome) => {
      streams.delete(id);
      finish(Object.freeze(outcome));
    };
    const state = {
      push(bytes) {
        if (error !== null || remoteEnded) return;
        if (readers.length > 0) return readers.shift().resolve(bytes);
        chunks.push(bytes);
        buffered += bytes.length;
        if (buffered > MAX_BUFFERED_BYTES) {
          request({ method: 'streams.reset', params: { stream: id } }).catch(() => {});
          state.closedBy({ reason: `more than ${MAX_BUFFERED_BYTES} unread bytes: read faster`, code: 4290 });
        }
      },
      closedBy({ reason, code }) {
        if (error !== null) return;
        if (typeof reason !== 'string') {
          remoteEnded = true;
          for (const reader of readers.splice(0)) reader.resolve(null);
          if (localEnded) done({ reason: null });
          return;
        }
        error = new P2PError(Number.isInteger(code) ? code : 4900, `stream closed: ${reason}`);
        chunks.length = 0;
        for (const reader of readers.splice(0)) reader.reject(error);
        done({ reason, code: error.code });
      },
    };
    streams.set(id, state);
    const read = () => {
      if (chunks.length > 0) {
        const bytes = chunks.shift();
        buffered -= bytes.length;
        return Promise.resolve(bytes);
      }
      if (error !== null) return Promise.reject(error);
      if (remoteEnded) return Promise.resolve(null);
      return new Promise((resolve, reject) => readers.push({ resolve, reject }));
    };
    const write = async (data) => {
      const bytes = toBytes(data);
      for (let offset = 0; offset === 0 || offset < bytes.length; offset += MAX_WRITE_BYTES) {
        if (error !== null) throw error;
        if (localEnded) throw new P2PError(-32602, 'stream closed for writing');
        await request({ method: 'streams.write', params: { stream: id, data: bytesToBase64(bytes.subarray(offset, offset + MAX_WRITE_BYTES)) } });
      }
    };
    const close = async () => {
      if (localEnded || error !== null) return;
      localEnded = true;
      await request({ method: 'streams.close', params: { stream: id } });
      if (remoteEnded && error === null) done({ reason: null });
    };
    const reset = async () => {
      if (error !== null) return;
      state.closedBy({ reason: 'reset by this page', code: 4900 });
      await request({ method: 'streams.reset', params: { stream: id } });
    };
    async function* iterate() {
      for (let bytes = await read(); bytes !== null; bytes = await read()) yield bytes;
    }
    return Object.freeze({ id, peerId, protocol, closed, read, write, close, reset, [Symbol.asyncIterator]: iterate });
  }

  function incoming({ handler, stream, peerId, protocol }) {
    const onStream = handlers.get(handler);
    if (typeof stream !== 'string' || streams.has(stream)) return;
    const opened = openStream(stream, peerId, protocol);
    if (!onStream) {
      opened.reset().catch(() => {});
      return;
    }
    try { onStream(opened); } catch (error) { console.error(error); }
  }

  async function handle(protocol, onStream) {
    if (typeof onStream !== 'function') throw new P2PError(-32602, 'handle(protocol, onStream) needs a function');
    const { handler } = await request({ method: 'streams.handle', params: { protocol } });
    handlers.set(handler, onStream);
    const unhandle = async () => {
      if (!handlers.delete(handler)) return;
      await request({ method: 'streams.unhandle', params: { handler } });
    };
    return Object.freeze(Object.assign(unhandle, { handler, protocol }));
  }

  async function open(peerId, protocol) {
    const { stream } = await request({ method: 'streams.open', params: { peerId, protocol } });
    return openStream(stream, peerId, protocol);
  }

  const bytesOrNull = (text) => (typeof text === 'string' ? base64ToBytes(text) : null);

  function bytesToBase64(bytes) {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }

  function base64ToBytes(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function toBytes(data) {
    if (typeof data === 'string') return new TextEncoder().encode(data);
    if (data instanceof Uint8Array) return data;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    throw new P2PError(-32602, 'data must be a string, a Uint8Array or an ArrayBuffer');
  }

  async function subscribe(topic, onMessage) {
    if (typeof onMessage !== 'function') throw new P2PError(-32602, 'subscribe(topic, onMessage) needs a function');
    const { subscription } = await request({ method: 'pubsub.subscribe', params: { topic } });
    subscriptions.set(subscription, onMessage);
    const unsubscribe = async () => {
      if (!subscriptions.delete(subscription)) return;
      await request({ method: 'pubsub.unsubscribe', params: { subscription } });
    };
    return Object.freeze(Object.assign(unsubscribe, { subscription, topic }));
  }

  const p2p = Object.freeze({
    isOmnipeer: true,
    request,
    requestAccess: (capabilities) => request({ method: 'p2p.requestAccess', params: { capabilities } }).then((r) => r.grants),
    node: Object.freeze({ info: () => request({ method: 'node.info' }) }),
    peers: () => request({ method: 'peers.list' }).then((r) => r.peers),
    pubsub: Object.freeze({
      subscribe,
      publish: async (topic, data) => request({ method: 'pubsub.publish', params: { topic, data: bytesToBase64(toBytes(data)) } }),
    }),
    streams: Object.freeze({ open, handle }),
    storage: Object.freeze({
      get: (key) => request({ method: 'storage.get', params: { key } }).then((r) => bytesOrNull(r.data)),
      put: async (key, data) => { await request({ method: 'storage.put', params: { key, data: bytesToBase64(toBytes(data)) } }); },
      delete: (key) => request({ method: 'storage.delete', params: { key } }).then((r) => r.deleted === true),
      list: (prefix) => request({ method: 'storage.list', params: prefix === undefined ? {} : { prefix } }).then((r) => r.keys ?? []),
    }),
    dht: Object.freeze({
      get: (key) => request({ method: 'dht.get', params: { key } }).then((r) => bytesOrNull(r.value)),
      put: async (key, value) => request({ method: 'dht.put', params: { key, value: bytesToBase64(toBytes(value)) } }),
    }),
    apps: Object.freeze({ current: () => request({ method: 'apps.current' }).then((r) => r.app ?? null) }),
    notifications: Object.freeze({
      show: (title, options = {}) => request({ method: 'notifications.show',
        params: options?.body === undefined ? { title } : { title, body: options.body } }),
    }),
    grants: () => request({ method: 'grants.list' }).then((r) => r.grants),
    on: (name, fn) => { if (listeners.has(eventKey(name)) && typeof fn === 'function') listeners.get(eventKey(name)).add(fn); },
    off: (name, fn) => { listeners.get(eventKey(name))?.delete(fn); },
    P2PError,
  });
  Object.defineProperty(window, 'p2p', { value: p2p, enumerable: true, configurable: false, writable: false });

  // crypto.randomUUID exists only in secure contexts; getRandomValues everywhere (RFC 9562 version 4 layout).
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const info = Object.freeze({ uuid, name: 'Omnipeer', rdns: 'io.omnipeer' });
  const announce = () => window.dispatchEvent(new CustomEvent('p2p:announceProvider', { detail: Object.freeze({ info, provider: p2p }) }));
  window.addEventListener('p2p:requestProvider', announce);
  announce();
})();
