/**
 * "Allow once" grants: the user approved capabilities for one page session only. The service worker
 * adds them to the daemon with an `expiresAt` safety bound (in case the worker itself is stopped and
 * forgets them) and revokes them when the page that asked goes away (navigation, reload, tab closed).
 * Spec: API.md "apps platform" (grants with optional expiresAt; allow once). Single-threaded.
 */

/** Upper bound on an allow-once grant's life, in ms, should the worker never see the page end. */
export const ONCE_GRANT_BOUND_MS = 8 * 60 * 60 * 1000;
/** Most allow-once grants tracked at once (each is one origin × capability). */
export const MAX_ONCE_GRANTS = 1024;

export class OnceGrants {
  #entries = []; // {owner, origin, capability}

  /** `owner` (a page) was granted `capabilities` of `origin` for its session only. */
  add(owner, origin, capabilities) {
    for (const capability of capabilities) {
      this.forget(origin, capability);
      if (this.#entries.length >= MAX_ONCE_GRANTS) this.#entries.shift();
      this.#entries.push({ owner, origin, capability });
    }
  }

  /**
   * The page went away: its allow-once grants end.
   * @returns {Array<{origin:string, capability:string}>} what to revoke in the daemon
   */
  ownerGone(owner) {
    const gone = this.#entries.filter((entry) => entry.owner === owner);
    this.#entries = this.#entries.filter((entry) => entry.owner !== owner);
    return gone.map(({ origin, capability }) => ({ origin, capability }));
  }

  /** Stops tracking a grant (revoked by the user, or now granted "always"); all of `origin` without capability. */
  forget(origin, capability) {
    this.#entries = this.#entries.filter((entry) =>
      !(entry.origin === origin && (capability === undefined || entry.capability === capability)));
  }

  /** True when `capability` of `origin` is an allow-once grant. */
  isOnce(origin, capability) {
    return this.#entries.some((entry) => entry.origin === origin && entry.capability === capability);
  }

  get size() {
    return this.#entries.length;
  }
}
