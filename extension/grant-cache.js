/**
 * The extension's copy of the daemon's grants, per origin, so the service worker can refuse an
 * ungranted call before it reaches the daemon (the daemon checks again; it is the source of truth).
 * Entries expire after TTL_MS and are dropped on every `grants.changed` notification.
 * Single-threaded (service worker event loop).
 */

/** How long a cached grant list is trusted, in ms; grants.changed invalidates sooner. */
export const TTL_MS = 10_000;
/** Most origins cached at once; the oldest entry is evicted first. */
export const MAX_ORIGINS = 256;

export class GrantCache {
  #fetchGrants;
  #now;
  #entries = new Map(); // origin -> {capabilities: string[], fetchedAt, generation}
  #generation = 0;

  /**
   * @param {(origin:string) => Promise<Array<{capability:string}>>} fetchGrants asks the daemon (grants.list)
   * @param {() => number} [now] clock in ms
   */
  constructor(fetchGrants, now = Date.now) {
    this.#fetchGrants = fetchGrants;
    this.#now = now;
  }

  /**
   * The capability strings `origin` holds, from the cache or the daemon.
   * @throws what fetchGrants throws (4900 when the daemon is unreachable)
   */
  async capabilities(origin) {
    const cached = this.#entries.get(origin);
    if (cached !== undefined && this.#now() - cached.fetchedAt < TTL_MS) return cached.capabilities;
    const generation = this.#generation;
    const grants = await this.#fetchGrants(origin);
    const capabilities = grants.filter((g) => g.origin === undefined || g.origin === origin).map((g) => g.capability);
    // A grants.changed that arrived while fetching makes this answer stale: do not cache it.
    if (generation === this.#generation) this.#remember(origin, capabilities);
    return capabilities;
  }

  /** Replaces the cached grants of `origin` with a fresh list from the daemon (e.g. a grants.list answer). */
  update(origin, grants) {
    this.#remember(origin, grants.filter((g) => g.origin === origin).map((g) => g.capability));
  }

  /** Cached knowledge only, no fetch: true when the origin is known to hold some grant. */
  knownGranted(origin) {
    const cached = this.#entries.get(origin);
    return cached !== undefined && cached.capabilities.length > 0;
  }

  /** Forgets one origin (or all, without an argument) after grants changed. */
  invalidate(origin) {
    this.#generation += 1;
    if (origin === undefined) this.#entries.clear();
    else this.#entries.delete(origin);
  }

  #remember(origin, capabilities) {
    this.#entries.delete(origin);
    if (this.#entries.size >= MAX_ORIGINS) this.#entries.delete(this.#entries.keys().next().value);
    this.#entries.set(origin, { capabilities, fetchedAt: this.#now() });
  }
}
