/**
 * The extension's copy of the daemon's grants, per origin, so the service worker can refuse an
 * ungranted call before it reaches the daemon (the daemon checks again; it is the source of truth).
 * Entries expire after TTL_MS and are dropped on every `grants.changed` notification; a grant whose
 * `expiresAt` (epoch ms, "allow once") has passed counts as absent.
 * The daemon answers `grants.list {origin}` with the grants of the origin's principal: the origin itself,
 * or `app:<id>` when the origin is an installed app's entry (API.md "apps platform").
 * Single-threaded (service worker event loop).
 */

/** How long a cached grant list is trusted, in ms; grants.changed invalidates sooner. */
export const TTL_MS = 10_000;
/** Most origins cached at once; the oldest entry is evicted first. */
export const MAX_ORIGINS = 256;

export class GrantCache {
  #fetchGrants;
  #now;
  #entries = new Map(); // origin -> {grants: [{capability, expiresAt}], fetchedAt}
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
    if (cached !== undefined && this.#now() - cached.fetchedAt < TTL_MS) return this.#live(cached.grants);
    const generation = this.#generation;
    const grants = ownGrants(origin, await this.#fetchGrants(origin));
    // A grants.changed that arrived while fetching makes this answer stale: do not cache it.
    if (generation === this.#generation) this.#remember(origin, grants);
    return this.#live(grants);
  }

  /** Replaces the cached grants of `origin` with a fresh `grants.list {origin}` answer from the daemon. */
  update(origin, grants) {
    this.#remember(origin, ownGrants(origin, grants));
  }

  /** Cached knowledge only, no fetch: true when the origin is known to hold some unexpired grant. */
  knownGranted(origin) {
    const cached = this.#entries.get(origin);
    return cached !== undefined && this.#live(cached.grants).length > 0;
  }

  /** Forgets one origin (or all, without an argument) after grants changed. */
  invalidate(origin) {
    this.#generation += 1;
    if (origin === undefined) this.#entries.clear();
    else this.#entries.delete(origin);
  }

  #remember(origin, grants) {
    this.#entries.delete(origin);
    if (this.#entries.size >= MAX_ORIGINS) this.#entries.delete(this.#entries.keys().next().value);
    this.#entries.set(origin, { grants, fetchedAt: this.#now() });
  }

  #live(grants) {
    const now = this.#now();
    return grants.filter((g) => !Number.isFinite(g.expiresAt) || g.expiresAt > now).map((g) => g.capability);
  }
}

/**
 * The grants of a `grants.list {origin}` answer that belong to `origin`'s principal: the origin
 * itself or an app principal (the daemon filtered already; this keeps a confused answer out).
 */
function ownGrants(origin, grants) {
  return (Array.isArray(grants) ? grants : [])
    .filter((g) => typeof g?.capability === 'string'
      && (g.origin === undefined || g.origin === origin || String(g.origin).startsWith('app:')))
    .map((g) => ({ capability: g.capability, expiresAt: g.expiresAt ?? null }));
}
