// ISOLATED-world relay between the page (window.postMessage, tagged with CHANNEL) and the service
// worker (a runtime port). Validates the shape of every page message; never adds an origin (the
// service worker takes it from the port's sender). If the service worker restarts, the port closes:
// every pending call is rejected with 4900 and the next call opens a new port. Classic script
// (content scripts cannot be ES modules); constants mirror messages.js and errors.js.
(() => {
  'use strict';
  const CHANNEL = 'omnipeer:p2p:v1';
  const PORT_NAME = 'omnipeer-page';
  const DISCONNECTED = 4900;
  const INVALID_REQUEST = -32600;
  // Largest page message relayed, in JSON characters: a 1 MiB publish in base64 plus room for fields.
  const MAX_MESSAGE_CHARS = 1_500_000;
  const MAX_PENDING = 256;
  const NEEDS_USER_GESTURE = 'p2p.requestAccess';

  let port = null;
  const pending = new Set();

  function toPage(message) {
    window.postMessage({ channel: CHANNEL, ...message }, location.origin === 'null' ? '*' : location.origin);
  }

  function fail(id, code, message) {
    toPage({ type: 'response', id, error: { code, message } });
  }

  function openPort() {
    if (port !== null) return port;
    const opened = chrome.runtime.connect({ name: PORT_NAME });
    opened.onMessage.addListener((message) => {
      if (message === null || typeof message !== 'object') return;
      if (typeof message.event === 'string') {
        toPage({ type: 'event', event: message.event, data: message.data });
      } else if (pending.delete(message.id)) {
        toPage({ type: 'response', id: message.id, result: message.result, error: message.error });
      }
    });
    opened.onDisconnect.addListener(() => {
      if (port !== opened) return;
      port = null;
      const reason = 'The Omnipeer extension restarted or was updated; try again';
      for (const id of pending) fail(id, DISCONNECTED, reason);
      pending.clear();
      toPage({ type: 'event', event: 'disconnect', data: { code: DISCONNECTED, message: reason } });
    });
    port = opened;
    return port;
  }

  function isRequest(m) {
    return m !== null && typeof m === 'object' && m.channel === CHANNEL && m.type === 'request'
      && Number.isSafeInteger(m.id) && typeof m.method === 'string' && m.method.length <= 64
      && (m.params === undefined || (m.params !== null && typeof m.params === 'object' && !Array.isArray(m.params)));
  }

  window.addEventListener('message', (event) => {
    if (event.source !== window || !isRequest(event.data)) return;
    const { id, method, params } = event.data;
    if (pending.has(id)) return fail(id, INVALID_REQUEST, 'request id already in use');
    if (pending.size >= MAX_PENDING) return fail(id, INVALID_REQUEST, `more than ${MAX_PENDING} calls pending`);
    let size;
    try {
      size = JSON.stringify(params ?? {}).length;
    } catch {
      return fail(id, INVALID_REQUEST, 'params must be JSON');
    }
    if (size > MAX_MESSAGE_CHARS) return fail(id, INVALID_REQUEST, 'request too large');
    // DESIGN.md: ask only after a user gesture; the page's click activates this frame for a few seconds.
    if (method === NEEDS_USER_GESTURE && navigator.userActivation && !navigator.userActivation.isActive) {
      return fail(id, INVALID_REQUEST, 'requestAccess must be called from a user gesture (a click or key press)');
    }
    try {
      pending.add(id);
      openPort().postMessage({ id, method, params });
    } catch (error) {
      pending.delete(id);
      port = null;
      fail(id, DISCONNECTED, `The Omnipeer extension is not available: ${error?.message ?? error}`);
    }
  });
})();
