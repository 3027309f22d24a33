/**
 * Which page owns each daemon stream and stream handler, so the service worker delivers
 * `streams.*` notifications to the right tab only, lets a page act only on its own streams, and
 * resets or unhandles everything a page leaves behind. The daemon shares one control connection
 * between all pages, so stream and handler ids alone say nothing about ownership.
 * Spec: API.md "apps platform" (streams.*). Single-threaded (service worker event loop).
 */
import { streamCapability } from './capabilities.js';

/** Most open streams one page may hold (each is a yamux stream in the daemon). */
export const MAX_STREAMS_PER_PAGE = 256;
/** Most protocol handlers one page may register. */
export const MAX_HANDLERS_PER_PAGE = 32;

export class StreamTable {
  #streams = new Map(); // stream id -> {page, protocol, peerId, localEnded, remoteEnded}
  #handlers = new Map(); // handler id -> {page, protocol}

  /** Open streams of `page`. */
  streamCount(page) {
    let n = 0;
    for (const entry of this.#streams.values()) if (entry.page === page) n += 1;
    return n;
  }

  /** Handlers of `page`. */
  handlerCount(page) {
    let n = 0;
    for (const entry of this.#handlers.values()) if (entry.page === page) n += 1;
    return n;
  }

  /** Records a stream the page opened or accepted. */
  addStream(page, stream, { protocol, peerId }) {
    this.#streams.set(stream, { page, protocol, peerId, localEnded: false, remoteEnded: false });
  }

  /** Records a handler the page registered. */
  addHandler(page, handler, protocol) {
    this.#handlers.set(handler, { page, protocol });
  }

  /** `{page, protocol, peerId}` of a stream, or undefined. */
  stream(stream) {
    return this.#streams.get(stream);
  }

  /** `{page, protocol}` of a handler, or undefined. */
  handler(handler) {
    return this.#handlers.get(handler);
  }

  /** True when `page` owns stream `stream`. */
  ownsStream(page, stream) {
    return this.#streams.get(stream)?.page === page;
  }

  /** True when `page` owns handler `handler`. */
  ownsHandler(page, handler) {
    return this.#handlers.get(handler)?.page === page;
  }

  /**
   * One direction of a stream ended (local close = FIN sent, remote = FIN received). A stream whose
   * two directions ended is forgotten.
   * @returns {boolean} true when the stream is now fully closed and forgotten
   */
  ended(stream, side) {
    const entry = this.#streams.get(stream);
    if (entry === undefined) return false;
    if (side === 'local') entry.localEnded = true;
    else entry.remoteEnded = true;
    if (!(entry.localEnded && entry.remoteEnded)) return false;
    this.#streams.delete(stream);
    return true;
  }

  removeStream(stream) {
    return this.#streams.delete(stream);
  }

  removeHandler(handler) {
    return this.#handlers.delete(handler);
  }

  /**
   * Removes what `page` holds that `capability` covered (`stream:<protocol>`), or everything when
   * `capability` is undefined.
   * @returns {{streams:string[], handlers:string[]}} the removed ids
   */
  take(page, capability) {
    const covered = (protocol) => capability === undefined || streamCapability(protocol) === capability;
    return this.#takeWhere((entry) => entry.page === page && covered(entry.protocol));
  }

  /**
   * Removes what `page` holds whose capability is not among `held` (capability strings).
   * @returns {{streams:string[], handlers:string[]}} the removed ids
   */
  takeUngranted(page, held) {
    return this.#takeWhere((entry) => entry.page === page && !held.includes(streamCapability(entry.protocol)));
  }

  /** Forgets everything (the daemon connection closed: its streams are gone). @returns removed ids per page */
  clear() {
    const byPage = new Map();
    const note = (page, kind, id) => {
      if (!byPage.has(page)) byPage.set(page, { streams: [], handlers: [] });
      byPage.get(page)[kind].push(id);
    };
    for (const [id, entry] of this.#streams) note(entry.page, 'streams', id);
    for (const [id, entry] of this.#handlers) note(entry.page, 'handlers', id);
    this.#streams.clear();
    this.#handlers.clear();
    return byPage;
  }

  #takeWhere(matches) {
    const streams = [];
    const handlers = [];
    for (const [id, entry] of this.#streams) {
      if (matches(entry)) streams.push(id);
    }
    for (const [id, entry] of this.#handlers) {
      if (matches(entry)) handlers.push(id);
    }
    for (const id of streams) this.#streams.delete(id);
    for (const id of handlers) this.#handlers.delete(id);
    return { streams, handlers };
  }
}
