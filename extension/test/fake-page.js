/**
 * Runs inpage.js (a classic MAIN-world script) against a fake window in this realm, and plays
 * content.js: records the requests the page posts, answers them, and pushes events.
 */
import { readFileSync } from 'node:fs';

const SOURCE = readFileSync(new URL('../inpage.js', import.meta.url), 'utf8');
const CHANNEL = 'omnipeer:p2p:v1';

export class FakePage {
  requests = [];
  #listeners = [];
  #waiting = [];

  constructor() {
    const page = this;
    this.window = {
      postMessage(data) {
        if (data?.type === 'request') page.#request(structuredClone(data));
      },
      addEventListener(type, fn) {
        if (type === 'message') page.#listeners.push(fn);
      },
      dispatchEvent: () => true,
      setTimeout, clearTimeout, TextEncoder, TextDecoder, atob, btoa,
    };
    class CustomEvent {
      constructor(type, init) { this.type = type; this.detail = init?.detail; }
    }
    // eslint-disable-next-line no-new-func
    new Function('window', 'location', 'crypto', 'CustomEvent', SOURCE)(this.window, { origin: 'https://app.example' },
      globalThis.crypto, CustomEvent);
    this.p2p = this.window.p2p;
  }

  /** Resolves with the next request the page posts with this method. */
  next(method) {
    const found = this.requests.find((r) => r.method === method && !r.taken);
    if (found) {
      found.taken = true;
      return Promise.resolve(found);
    }
    return new Promise((resolve) => this.#waiting.push({ method, resolve }));
  }

  respond(id, result) {
    this.#deliver({ channel: CHANNEL, type: 'response', id, result });
  }

  fail(id, error) {
    this.#deliver({ channel: CHANNEL, type: 'response', id, error });
  }

  /** Answers the next request of `method` with `result` (or the result of calling it with the request). */
  async answer(method, result) {
    const request = await this.next(method);
    this.respond(request.id, typeof result === 'function' ? result(request) : result);
    return request;
  }

  event(event, data) {
    this.#deliver({ channel: CHANNEL, type: 'event', event, data });
  }

  #request(message) {
    const waiter = this.#waiting.findIndex((w) => w.method === message.method);
    if (waiter >= 0) {
      message.taken = true;
      this.requests.push(message);
      this.#waiting.splice(waiter, 1)[0].resolve(message);
    } else {
      this.requests.push(message);
    }
  }

  #deliver(data) {
    for (const fn of this.#listeners) fn({ source: this.window, data });
  }
}

export const base64 = (text) => Buffer.from(text).toString('base64');
export const text = (bytes) => Buffer.from(bytes).toString();
