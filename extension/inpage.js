// MAIN-world page API: defines a frozen window.p2p and announces it (EIP-6963 style).
// One entry point, p2p.request({method, params}), with typed helpers on top; errors are P2PError
// objects with EIP-1193 style codes (4001 rejected, 4100 unauthorized, 4200 unsupported,
// 4290 resource limit, 4900 disconnected). Talks only to content.js via window.postMessage.
// Kept small on purpose (DESIGN.md: IPFS Companion's window.ipfs lesson). Classic script.
(() => {
  'use strict';
  if (Object.hasOwn(window, 'p2p')) return;
  const CHANNEL = 'omnipeer:p2p:v1';
  const EVENTS = ['connect', 'disconnect', 'message', 'peersChanged', 'grantsChanged'];
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
  const listeners = new Map(EVENTS.map((name) => [name, new Set()]));
  const subscriptions = new Map(); // subscription id -> onMessage

  function emit(name, value) {
    for (const fn of [...listeners.get(name)]) {
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
      else if (listeners.has(m.event)) {
        if (m.event === 'disconnect') subscriptions.clear();
        emit(m.event, m.event === 'disconnect' ? new P2PError(data.code ?? 4900, data.message ?? 'disconnected') : data);
      }
    }
  });

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
    grants: () => request({ method: 'grants.list' }).then((r) => r.grants),
    on: (name, fn) => { if (listeners.has(name) && typeof fn === 'function') listeners.get(name).add(fn); },
    off: (name, fn) => { listeners.get(name)?.delete(fn); },
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
