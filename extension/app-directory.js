/**
 * The service worker's short-lived copy of the daemon's installed apps (`apps.list`), to name the
 * app behind an origin in the permission prompt and to map a principal `app:<id>` back to the
 * origins of its pages. The daemon maps origins to apps itself; this copy is only for display and
 * routing. Entries expire after TTL_MS; `apps.changed` invalidates at once.
 * Spec: API.md "apps platform" (app record, principal). Single-threaded.
 */
import { UNSUPPORTED_METHOD } from './errors.js';

/** How long a fetched app list is used, in ms. */
export const TTL_MS = 10_000;
/** Prefix of an app principal in grants (`app:<id>`). */
export const APP_PRINCIPAL_PREFIX = 'app:';

export class AppDirectory {
  #fetchApps;
  #now;
  #apps = null;
  #fetchedAt = 0;
  #generation = 0;

  /**
   * @param {() => Promise<object[]>} fetchApps asks the daemon (apps.list → apps)
   * @param {() => number} [now] clock in ms
   */
  constructor(fetchApps, now = Date.now) {
    this.#fetchApps = fetchApps;
    this.#now = now;
  }

  /** Every installed app record; [] when the daemon does not serve apps.list (4200). */
  async list() {
    if (this.#apps !== null && this.#now() - this.#fetchedAt < TTL_MS) return this.#apps;
    const generation = this.#generation;
    let apps;
    try {
      apps = await this.#fetchApps();
    } catch (error) {
      if (error?.code !== UNSUPPORTED_METHOD) throw error;
      apps = [];
    }
    const list = Array.isArray(apps) ? apps.filter((app) => app !== null && typeof app === 'object') : [];
    if (generation === this.#generation) {
      this.#apps = list;
      this.#fetchedAt = this.#now();
    }
    return list;
  }

  /**
   * The enabled app whose entry origin is `origin`, or, for a principal `app:<id>` (a bundled page), the enabled
   * app with that id; null otherwise.
   */
  async appForOrigin(origin) {
    const id = appIdOf(origin);
    return (await this.list()).find((app) => app.enabled !== false
      && (id === null ? app.entry?.origin === origin : app.id === id)) ?? null;
  }

  /**
   * The enabled app that a page of this extension at `path` (e.g. `apps/org.example.chat/index.html`) belongs to:
   * the app whose id is the folder under `apps/` and whose manifest entry is a page in that folder; null otherwise.
   */
  async appForBundledPage(path) {
    const id = bundledAppId(path);
    if (id === null) return null;
    return (await this.list()).find((app) => app.enabled !== false && app.id === id
      && bundledAppId(app.entry?.page) === id) ?? null;
  }

  /** The principal grants of `origin` are stored under: `app:<id>` for an enabled app's entry, else the origin. */
  async principalOf(origin) {
    const app = await this.appForOrigin(origin);
    return app === null ? origin : APP_PRINCIPAL_PREFIX + app.id;
  }

  /** Apps were installed, changed or removed. */
  invalidate() {
    this.#generation += 1;
    this.#apps = null;
  }
}

/** Folder of bundled app pages inside the extension. */
export const BUNDLED_APPS_DIR = 'apps/';

/**
 * The app id in an extension-relative page path `apps/<id>/<file...>`, or null when the path is not under
 * `apps/`, names no file, or tries to leave its folder.
 */
export function bundledAppId(path) {
  if (typeof path !== 'string' || !path.startsWith(BUNDLED_APPS_DIR) || path.includes('..') || path.includes('\\')) return null;
  const [id, ...rest] = path.slice(BUNDLED_APPS_DIR.length).split('/');
  return /^[a-z0-9]+(\.[a-z0-9-]+)+$/i.test(id) && rest.length > 0 && rest.join('/').length > 0 ? id : null;
}

/** The app id of an `app:<id>` principal, or null for a web origin. */
export function appIdOf(principal) {
  return typeof principal === 'string' && principal.startsWith(APP_PRINCIPAL_PREFIX)
    ? principal.slice(APP_PRINCIPAL_PREFIX.length) : null;
}
