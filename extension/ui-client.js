/**
 * Client for the extension's own views (popup, prompt): calls the service worker over a runtime
 * port named UI_PORT_NAME, `call(method, params)` -> Promise, and receives pushed events.
 * A closed port (service worker restart) rejects pending calls with 4900; the next call reconnects.
 */
import { DISCONNECTED, rpcError } from './errors.js';
import { UI_PORT_NAME } from './messages.js';

/** How long a view waits for the service worker, in ms (the host port has its own 30 s limit). */
const CALL_TIMEOUT_MS = 35_000;

export class UiClient {
  #port = null;
  #nextId = 1;
  #pending = new Map();
  #listeners = new Set();
  #disconnectListeners = new Set();

  /** `fn(event, data)` for 'grants.changed', 'peers.changed', 'host.state', 'prompt.changed'. */
  onEvent(fn) {
    this.#listeners.add(fn);
    this.#ensurePort();
  }

  /** `fn()` when the port to the service worker closes (it restarted; its state, e.g. the prompt queue, is gone). */
  onDisconnect(fn) {
    this.#disconnectListeners.add(fn);
  }

  call(method, params = {}) {
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(rpcError(DISCONNECTED, 'The Omnipeer extension did not answer'));
      }, CALL_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      try {
        this.#ensurePort().postMessage({ id, method, params });
      } catch (error) {
        this.#pending.delete(id);
        clearTimeout(timer);
        reject(rpcError(DISCONNECTED, String(error?.message ?? error)));
      }
    });
  }

  #ensurePort() {
    if (this.#port !== null) return this.#port;
    const port = chrome.runtime.connect({ name: UI_PORT_NAME });
    port.onMessage.addListener((message) => {
      if (typeof message?.event === 'string') {
        for (const fn of this.#listeners) fn(message.event, message.data);
        return;
      }
      const call = this.#pending.get(message?.id);
      if (call === undefined) return;
      this.#pending.delete(message.id);
      clearTimeout(call.timer);
      if (message.error) call.reject(message.error);
      else call.resolve(message.result);
    });
    port.onDisconnect.addListener(() => {
      this.#port = null;
      for (const call of this.#pending.values()) {
        clearTimeout(call.timer);
        call.reject(rpcError(DISCONNECTED, 'The Omnipeer extension restarted'));
      }
      this.#pending.clear();
      for (const fn of this.#disconnectListeners) fn();
    });
    this.#port = port;
    return port;
  }
}
