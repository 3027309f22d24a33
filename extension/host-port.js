/**
 * The native-messaging port to `omnipeer native-messaging`, with JSON-RPC request ids,
 * timeouts and chunk reassembly. Connects lazily on the first request and again after the
 * shim exits; a closed port rejects every pending call with 4900, so callers never hang.
 * Spec: API.md "control / bridge protocol" (native-messaging frames, chunking).
 * Single-threaded (service worker event loop).
 */
import { ChunkAssembler, ChunkError } from './chunks.js';
import { DISCONNECTED, rpcError } from './errors.js';
import { classifyHostMessage } from './messages.js';

/** Native messaging host name registered by the installer and the tests. */
export const HOST_NAME = 'io.omnipeer.native';
/** How long a call may wait for the daemon's answer, in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export class HostPort {
  #connect;
  #lastError;
  #timeoutMs;
  #port = null;
  #open = false;
  #nextId = 1;
  #pending = new Map(); // id -> {resolve, reject, timer}
  #chunks = new ChunkAssembler();
  #notificationListeners = new Set();
  #stateListeners = new Set();
  #lastFailure = null;

  /**
   * @param {object} options
   * @param {() => object} options.connect opens a port shaped like chrome.runtime.Port
   * @param {() => (string|undefined)} [options.lastError] reason the port closed (chrome.runtime.lastError)
   * @param {number} [options.timeoutMs]
   */
  constructor({ connect, lastError = () => undefined, timeoutMs = DEFAULT_TIMEOUT_MS }) {
    this.#connect = connect;
    this.#lastError = lastError;
    this.#timeoutMs = timeoutMs;
  }

  /** True once the host has sent something on the current port. */
  get connected() {
    return this.#open;
  }

  /** Why the last port closed, or null. */
  get lastFailure() {
    return this.#lastFailure;
  }

  /** `fn(method, params)` for every JSON-RPC notification from the daemon. */
  onNotification(fn) {
    this.#notificationListeners.add(fn);
  }

  /** `fn(connected:boolean, reason?:string)` when the host becomes reachable or goes away. */
  onStateChange(fn) {
    this.#stateListeners.add(fn);
  }

  /**
   * Sends one JSON-RPC request.
   * @returns {Promise<object>} the result
   * @throws {{code,message}} the daemon's error, or 4900 when the host is unreachable or silent
   */
  request(method, params = {}, { timeoutMs = this.#timeoutMs } = {}) {
    return new Promise((resolve, reject) => {
      let port;
      try {
        port = this.#ensurePort();
      } catch (error) {
        reject(rpcError(DISCONNECTED, `Cannot start the Omnipeer native host: ${error?.message ?? error}`));
        return;
      }
      const id = this.#nextId++;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(rpcError(DISCONNECTED, `No answer from the Omnipeer daemon within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      try {
        port.postMessage({ jsonrpc: '2.0', id, method, params });
      } catch (error) {
        this.#settle(id, null, rpcError(DISCONNECTED, `Native host port closed: ${error?.message ?? error}`));
      }
    });
  }

  /** Closes the port; pending calls fail with 4900. */
  close() {
    if (this.#port === null) return;
    const port = this.#port;
    this.#closed('closed by the extension');
    port.disconnect();
  }

  #ensurePort() {
    if (this.#port !== null) return this.#port;
    const port = this.#connect();
    this.#port = port;
    port.onMessage.addListener((message) => {
      if (this.#port === port) this.#receive(message);
    });
    port.onDisconnect.addListener(() => {
      const reason = this.#lastError() ?? port.error?.message ?? 'native host exited';
      if (this.#port === port) this.#closed(reason);
    });
    return port;
  }

  #receive(raw) {
    if (!this.#open) {
      this.#open = true;
      this.#lastFailure = null;
      this.#emitState(true);
    }
    let message = classifyHostMessage(raw);
    if (message.kind === 'chunk') {
      let whole;
      try {
        whole = this.#chunks.accept(message.chunk);
      } catch (error) {
        if (!(error instanceof ChunkError)) throw error;
        console.warn(`omnipeer: dropped chunked host message: ${error.message}`);
        return;
      }
      if (whole === null) return;
      message = classifyHostMessage(whole);
    }
    switch (message.kind) {
      case 'response':
        this.#settle(message.id, message.result, message.error);
        break;
      case 'notification':
        for (const fn of this.#notificationListeners) fn(message.method, message.params);
        break;
      default:
        console.warn(`omnipeer: ignored host message (${message.kind}: ${message.reason ?? ''})`);
    }
  }

  #settle(id, result, error) {
    const call = this.#pending.get(id);
    if (call === undefined) return;
    this.#pending.delete(id);
    clearTimeout(call.timer);
    if (error) call.reject(error);
    else call.resolve(result ?? {});
  }

  #closed(reason) {
    const wasOpen = this.#open;
    this.#port = null;
    this.#open = false;
    this.#lastFailure = reason;
    this.#chunks.clear();
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of calls) {
      clearTimeout(call.timer);
      call.reject(rpcError(DISCONNECTED, `Cannot reach the Omnipeer daemon: ${reason}`));
    }
    if (wasOpen || calls.length > 0) this.#emitState(false, reason);
  }

  #emitState(connected, reason) {
    for (const fn of this.#stateListeners) fn(connected, reason);
  }
}
