/**
 * The single permission-prompt window and its queue (DESIGN.md: one approval window; a second
 * request joins the queue; closing the window rejects what is pending).
 * Window operations are injected so the queue logic is testable outside the browser.
 * Single-threaded (service worker event loop).
 */

/** Most requests waiting for the user at once; more are refused (4290 by the caller). */
export const MAX_QUEUED_REQUESTS = 32;

/** Outcome of one queued request. */
export const Decision = Object.freeze({
  APPROVED: 'approved', // "Always allow"
  APPROVED_ONCE: 'approved-once', // "Allow once": for the requesting page's session only
  DENIED: 'denied',
  DISMISSED: 'dismissed', // the window was closed
  CANCELLED: 'cancelled', // the requesting page went away
});

export class QueueFullError extends Error {}

export class PromptQueue {
  #window;
  #queue = []; // {id, origin, capabilities, owner, resolve}
  #nextId = 1;
  #windowId = null;
  #opening = null;

  /**
   * @param {object} window
   * @param {() => Promise<number>} window.open opens the prompt window, resolves to its id
   * @param {(id:number) => void} window.focus
   * @param {(id:number) => void} window.close
   * @param {() => void} window.changed tells an open prompt page to re-read the head
   */
  constructor(window) {
    this.#window = window;
  }

  /**
   * Queues a request and shows the prompt window (opening it if needed).
   * @param {{origin:string, capabilities:string[], owner:any}} request owner: whatever identifies the page
   * @returns {Promise<string>} one of Decision
   * @throws {QueueFullError} when MAX_QUEUED_REQUESTS are already waiting
   */
  enqueue({ origin, capabilities, owner }) {
    if (this.#queue.length >= MAX_QUEUED_REQUESTS) throw new QueueFullError('too many permission requests waiting');
    return new Promise((resolve) => {
      this.#queue.push({ id: this.#nextId++, origin, capabilities, owner, resolve });
      this.#show();
    });
  }

  /** The request the prompt should show, or null: `{id, origin, capabilities, waiting}`. */
  head() {
    const first = this.#queue[0];
    if (first === undefined) return null;
    return { id: first.id, origin: first.origin, capabilities: [...first.capabilities], waiting: this.#queue.length - 1 };
  }

  /**
   * The user decided on request `id` (ignored if it is no longer queued).
   * @param {boolean} approved
   * @param {{once?:boolean}} [options] once: "Allow once" rather than "Always allow"
   */
  decide(id, approved, { once = false } = {}) {
    const decision = !approved ? Decision.DENIED : once ? Decision.APPROVED_ONCE : Decision.APPROVED;
    this.#finish((entry) => entry.id === id, decision);
  }

  /** A window closed; if it was the prompt, everything pending is dismissed. */
  windowClosed(windowId) {
    if (windowId !== this.#windowId) return;
    this.#windowId = null;
    const entries = this.#queue.splice(0);
    for (const entry of entries) entry.resolve(Decision.DISMISSED);
  }

  /** Drops the requests of a page that went away. */
  cancelOwner(owner) {
    this.#finish((entry) => entry.owner === owner, Decision.CANCELLED);
  }

  /** Number of waiting requests. */
  get size() {
    return this.#queue.length;
  }

  #finish(matches, decision) {
    const kept = [];
    for (const entry of this.#queue) {
      if (matches(entry)) entry.resolve(decision);
      else kept.push(entry);
    }
    if (kept.length === this.#queue.length) return;
    this.#queue = kept;
    if (kept.length === 0) {
      if (this.#windowId !== null) {
        const id = this.#windowId;
        this.#windowId = null;
        this.#window.close(id);
      }
    } else {
      this.#window.changed();
    }
  }

  #show() {
    if (this.#windowId !== null) {
      this.#window.focus(this.#windowId);
      this.#window.changed();
      return;
    }
    if (this.#opening !== null) return;
    this.#opening = this.#window.open().then(
      (id) => {
        this.#opening = null;
        if (this.#queue.length === 0) this.#window.close(id);
        else this.#windowId = id;
      },
      (error) => {
        this.#opening = null;
        console.warn(`omnipeer: cannot open the permission prompt: ${error?.message ?? error}`);
        for (const entry of this.#queue.splice(0)) entry.resolve(Decision.DISMISSED);
      },
    );
  }
}
