/**
 * Reassembles host->browser messages that the shim split because Chromium caps one native
 * message at 1,048,576 bytes. Spec: API.md "control / bridge protocol":
 * `{"chunk":{"id":"<uuid>","index":i,"count":n,"data":"<slice of the JSON text>"}}`.
 * Bounded: a whole message is at most MAX_MESSAGE_CHARS (the control frame maximum, 16 MiB),
 * at most MAX_PARTIAL_MESSAGES are in flight. Not thread-safe (one per service worker).
 */

/** Largest reassembled JSON text, in UTF-16 code units: the 16 MiB control-frame cap. */
export const MAX_MESSAGE_CHARS = 16 * 1024 * 1024;
/** Most chunks per message: 16 MiB in slices of at least 64 KiB. */
export const MAX_CHUNK_COUNT = 256;
/** Most partially received messages held at once. */
export const MAX_PARTIAL_MESSAGES = 8;
const MAX_CHUNK_ID_LENGTH = 64;

/** Thrown for a malformed chunk; the caller logs it and drops that message. */
export class ChunkError extends Error {}

export class ChunkAssembler {
  #partial = new Map(); // id -> {count, parts: string[], received, chars}

  /**
   * Takes one chunk descriptor.
   * @returns {object | null} the parsed message once the last chunk arrived, else null
   * @throws {ChunkError} on a malformed chunk, an over-large message or unparseable JSON;
   *   the partial message of that id is dropped
   */
  accept(chunk) {
    const { id, index, count, data } = chunk ?? {};
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_CHUNK_ID_LENGTH) {
      throw new ChunkError('chunk id must be a short non-empty string');
    }
    try {
      return this.#accept(id, index, count, data);
    } catch (error) {
      this.#partial.delete(id);
      throw error;
    }
  }

  /** Number of messages waiting for more chunks. */
  get pending() {
    return this.#partial.size;
  }

  /** Drops every partial message (the host port closed). */
  clear() {
    this.#partial.clear();
  }

  #accept(id, index, count, data) {
    if (!Number.isInteger(count) || count < 1 || count > MAX_CHUNK_COUNT) {
      throw new ChunkError(`chunk count must be 1..${MAX_CHUNK_COUNT}`);
    }
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new ChunkError('chunk index out of range');
    if (typeof data !== 'string') throw new ChunkError('chunk data must be a string');
    let entry = this.#partial.get(id);
    if (entry === undefined) {
      if (this.#partial.size >= MAX_PARTIAL_MESSAGES) {
        throw new ChunkError(`more than ${MAX_PARTIAL_MESSAGES} chunked messages in flight`);
      }
      entry = { count, parts: new Array(count), received: 0, chars: 0 };
      this.#partial.set(id, entry);
    }
    if (entry.count !== count) throw new ChunkError('chunk count changed within one message');
    if (entry.parts[index] !== undefined) throw new ChunkError(`chunk ${index} received twice`);
    entry.chars += data.length;
    if (entry.chars > MAX_MESSAGE_CHARS) throw new ChunkError(`chunked message exceeds ${MAX_MESSAGE_CHARS} characters`);
    entry.parts[index] = data;
    entry.received += 1;
    if (entry.received < count) return null;
    this.#partial.delete(id);
    try {
      return JSON.parse(entry.parts.join(''));
    } catch {
      throw new ChunkError('reassembled chunks are not valid JSON');
    }
  }
}
