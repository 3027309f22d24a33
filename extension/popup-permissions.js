/**
 * The popup's Permissions tab: every app or site (grant principal) with its grants in plain words,
 * how long each lasts, a Revoke button per grant and one for all of them.
 * Spec: API.md "apps platform" (principals `app:<id>` or a web origin; grants with optional expiresAt).
 */
import { appIdOf } from './app-directory.js';
import { describeCapability } from './capabilities.js';
import { el, errorText } from './dom.js';
import { formatExpiry } from './format.js';

export class PermissionsPanel {
  #client;
  #setStatus;
  #refresh;

  constructor(client, { setStatus, refresh }) {
    this.#client = client;
    this.#setStatus = setStatus;
    this.#refresh = refresh;
  }

  /** Renders `grants` (grants.list) grouped by principal; `apps` names the app principals. */
  show(grants, apps) {
    const byOrigin = new Map();
    for (const grant of grants) {
      if (!byOrigin.has(grant.origin)) byOrigin.set(grant.origin, []);
      byOrigin.get(grant.origin).push(grant);
    }
    const now = Date.now();
    const rows = [...byOrigin.entries()].sort(([a], [b]) => a.localeCompare(b))
      .map(([origin, list]) => this.#row(origin, list, apps, now));
    document.getElementById('grant-list').replaceChildren(...rows);
    document.getElementById('no-grants').hidden = rows.length > 0;
  }

  #row(origin, grants, apps, now) {
    const appId = appIdOf(origin);
    const app = appId === null ? null : apps.find((a) => a.id === appId);
    const title = app ? app.name : appId ?? origin;
    const heading = el('div', { class: 'grant-owner' },
      el('strong', { text: title }),
      app || appId !== null ? el('span', { class: 'muted mono', text: ` ${appId}` }) : null);
    const items = grants.map((grant) => el('li', { class: 'grant', dataset: { capability: grant.capability } },
      el('span', { text: describeCapability(grant.capability) }),
      el('span', { class: 'muted expiry', text: ` — ${formatExpiry(grant.expiresAt, now)}` }),
      el('button', {
        type: 'button', class: 'revoke-one link', dataset: { origin, capability: grant.capability },
        'aria-label': `Revoke "${describeCapability(grant.capability)}" from ${title}`,
        onclick: (event) => this.#revoke(origin, grant.capability, event.currentTarget),
      }, 'Revoke')));
    const revokeAll = el('button', {
      type: 'button', class: 'revoke', dataset: { origin },
      'aria-label': `Revoke all permissions of ${title}`,
      onclick: (event) => this.#revoke(origin, undefined, event.currentTarget),
    }, 'Revoke all');
    return el('li', { class: 'origin', dataset: { origin } },
      el('div', {}, heading, el('ul', {}, ...items)), revokeAll);
  }

  async #revoke(origin, capability, button) {
    button.disabled = true;
    try {
      await this.#client.call('grants.revoke', capability === undefined ? { origin } : { origin, capability });
      this.#setStatus(capability === undefined ? `Revoked the permissions of ${origin}.` : `Revoked ${capability} of ${origin}.`);
    } catch (error) {
      this.#setStatus(`Could not revoke: ${errorText(error)}`);
      button.disabled = false;
    }
    await this.#refresh();
  }
}
