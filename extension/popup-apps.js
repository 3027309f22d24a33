/**
 * The popup's Apps tab: installed apps (apps.list) with enable/disable/remove, install or update
 * from a signed manifest file chosen with a file input, and live usage per app (apps.usage polled
 * once a second while the tab is shown: rates, totals, streams, storage, a one-minute chart).
 * Spec: API.md "apps platform" (app record; served by helper apps), "resource manager" (apps.usage).
 */
import { bundledAppId } from './app-directory.js';
import { el, errorText } from './dom.js';
import { formatBytes, formatLimit, formatRate } from './format.js';
import { RateHistory, createChart, drawChart } from './usage-chart.js';

/** How often usage is polled while the Apps tab is visible, in ms (rates are over the last 2 s). */
export const USAGE_POLL_MS = 1000;
/** Largest manifest file read from disk, in bytes. */
const MAX_MANIFEST_FILE_BYTES = 512 * 1024;
const $ = (id) => document.getElementById(id);

export class AppsPanel {
  #client;
  #setStatus;
  #refresh;
  #apps = [];
  #histories = new Map(); // app id -> RateHistory
  #timer = null;
  #polling = false;
  #listFailed = false;

  constructor(client, { setStatus, refresh }) {
    this.#client = client;
    this.#setStatus = setStatus;
    this.#refresh = refresh;
    $('manifest-file').addEventListener('change', (event) => this.#install(event.currentTarget));
    $('open-in-tab').addEventListener('click', () => {
      chrome.tabs.create({ url: chrome.runtime.getURL('popup.html') }).catch(() => {});
    });
  }

  /**
   * Reads and shows the installed apps.
   * @returns {Promise<object[]>} the app records ([] when the daemon has no apps or fails)
   */
  async load() {
    try {
      const { apps } = await this.#client.call('apps.list');
      this.#apps = Array.isArray(apps) ? apps : [];
      // Keep what the last action said ("Installed …"); only a listing failure is stale now.
      if (this.#listFailed) this.#message('');
      this.#listFailed = false;
    } catch (error) {
      this.#apps = [];
      this.#message(error?.code === 4200
        ? 'This Omnipeer daemon does not manage apps yet.'
        : `Could not list the apps: ${errorText(error)}`);
      this.#listFailed = true;
    }
    this.#render();
    return this.#apps;
  }

  /** Polls usage while the tab is shown; stops when hidden. */
  setVisible(visible) {
    if (visible && this.#timer === null) {
      this.#poll();
      this.#timer = setInterval(() => this.#poll(), USAGE_POLL_MS);
    } else if (!visible && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  #message(text, kind = 'info') {
    const message = $('apps-message');
    message.textContent = text;
    message.className = kind === 'error' ? 'error-text' : '';
  }

  #render() {
    const known = new Set(this.#apps.map((app) => app.id));
    for (const id of [...this.#histories.keys()]) if (!known.has(id)) this.#histories.delete(id);
    const items = [...this.#apps].sort((a, b) => String(a.name).localeCompare(String(b.name))).map((app) => this.#item(app));
    $('app-list').replaceChildren(...items);
    $('no-apps').hidden = items.length > 0;
  }

  #item(app) {
    if (!this.#histories.has(app.id)) this.#histories.set(app.id, new RateHistory());
    const enabled = app.enabled !== false;
    const runsAt = app.entry?.origin ?? (app.entry?.page ? 'a page bundled with the extension' : 'unknown');
    const chart = createChart(`Bandwidth of ${app.name} over the last minute: in and out`);
    drawChart(chart, this.#histories.get(app.id));
    const confirm = el('div', { class: 'confirm', hidden: true },
      el('label', {}, el('input', { type: 'checkbox', class: 'purge' }), ' Also delete its stored data'),
      el('button', { type: 'button', class: 'confirm-remove danger', onclick: (e) => this.#remove(app, confirm, e.currentTarget) },
        `Remove ${app.name}`),
      el('button', { type: 'button', class: 'cancel', onclick: () => { confirm.hidden = true; item.querySelector('.remove').focus(); } },
        'Cancel'));
    const item = el('li', { class: 'app', dataset: { appId: app.id, enabled: String(enabled) } },
      el('div', { class: 'app-head' },
        el('strong', { class: 'app-name', text: app.name }),
        el('span', { class: 'muted', text: ` ${app.version ?? ''}` }),
        el('span', { class: `badge ${enabled ? 'on' : 'off'}`, text: enabled ? 'enabled' : 'disabled' })),
      app.description ? el('p', { class: 'muted', text: app.description }) : null,
      el('p', { class: 'muted small' }, 'Publisher key ', el('span', { class: 'mono fingerprint', text: app.fingerprint ?? '' })),
      el('p', { class: 'muted small' }, 'Runs at ', el('span', { class: 'mono', text: runsAt })),
      el('dl', { class: 'usage' },
        el('dt', { text: 'In' }), el('dd', { class: 'usage-in', text: '—' }),
        el('dt', { text: 'Out' }), el('dd', { class: 'usage-out', text: '—' }),
        el('dt', { text: 'Streams' }), el('dd', { class: 'usage-streams', text: '—' }),
        el('dt', { text: 'Storage' }), el('dd', { class: 'usage-storage', text: '—' })),
      chart,
      el('p', { class: 'muted small legend' }, el('span', { class: 'key-in', text: 'green: in' }), ', ',
        el('span', { class: 'key-out', text: 'blue: out' }), ', last minute'),
      el('div', { class: 'actions' },
        enabled && entryUrl(app) !== null
          ? el('button', { type: 'button', class: 'open', onclick: () => this.#open(app) }, `Open ${app.name}`) : null,
        el('button', { type: 'button', class: 'toggle', onclick: (e) => this.#toggle(app, e.currentTarget) },
          enabled ? 'Disable' : 'Enable'),
        el('button', {
          type: 'button', class: 'remove', 'aria-expanded': 'false',
          onclick: () => { confirm.hidden = false; confirm.querySelector('.confirm-remove').focus(); },
        }, 'Remove…')),
      confirm);
    return item;
  }

  async #poll() {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const usage = await this.#client.call('apps.usage');
      for (const entry of usage.apps ?? []) this.#showUsage(entry);
      const system = usage.system;
      if (system) {
        $('system-usage').textContent = `Whole node: in ${formatRate(system.inBps)}, out ${formatRate(system.outBps)}; `
          + `${system.connections} connections, ${system.streams} streams.`;
      }
    } catch (error) {
      $('system-usage').textContent = error?.code === 4200
        ? 'Usage figures are not available from this daemon.'
        : `Could not read usage: ${errorText(error)}`;
    } finally {
      this.#polling = false;
    }
  }

  #showUsage(entry) {
    const item = [...$('app-list').children].find((li) => li.dataset.appId === entry.id);
    const history = this.#histories.get(entry.id);
    if (item === undefined || history === undefined) return;
    history.push(entry.inBps, entry.outBps);
    const limits = entry.limits ?? {};
    item.querySelector('.usage-in').textContent =
      `${formatRate(entry.inBps)} (limit ${formatLimit(limits.bandwidthInKiBps)}), ${formatBytes(entry.bytesIn)} total`;
    item.querySelector('.usage-out').textContent =
      `${formatRate(entry.outBps)} (limit ${formatLimit(limits.bandwidthOutKiBps)}), ${formatBytes(entry.bytesOut)} total`;
    item.querySelector('.usage-streams').textContent = `${entry.streams} open, ${entry.connections} connections`;
    item.querySelector('.usage-storage').textContent = limits.storageBytes > 0
      ? `${formatBytes(entry.storageBytes)} of ${formatBytes(limits.storageBytes)}` : formatBytes(entry.storageBytes);
    drawChart(item.querySelector('svg.chart'), history);
  }

  async #install(input) {
    const file = input.files?.[0];
    if (!file) return;
    let manifest;
    try {
      if (file.size > MAX_MANIFEST_FILE_BYTES) throw new Error(`the file is larger than ${formatBytes(MAX_MANIFEST_FILE_BYTES)}`);
      manifest = JSON.parse(await file.text());
    } catch (error) {
      this.#message(`${file.name} is not a signed app manifest: ${error?.message ?? error}`, 'error');
      input.value = '';
      return;
    }
    this.#message(`Installing ${file.name}…`);
    try {
      const { app } = await this.#client.call('apps.install', { manifest });
      this.#message(`Installed ${app?.name ?? 'the app'} ${app?.version ?? ''}.`.replace(' .', '.'));
      this.#setStatus(`Installed ${app?.name ?? file.name}.`);
    } catch (error) {
      this.#message(`Could not install ${file.name}: ${errorText(error)}`, 'error');
    } finally {
      input.value = '';
    }
    await this.#refresh();
  }

  #open(app) {
    chrome.tabs.create({ url: entryUrl(app) }).catch((error) => this.#setStatus(`Cannot open ${app.name}: ${errorText(error)}`));
  }

  async #toggle(app, button) {
    button.disabled = true;
    const method = app.enabled !== false ? 'apps.disable' : 'apps.enable';
    try {
      await this.#client.call(method, { id: app.id });
      this.#setStatus(`${app.name} ${method === 'apps.disable' ? 'disabled' : 'enabled'}.`);
    } catch (error) {
      this.#message(`Could not change ${app.name}: ${errorText(error)}`, 'error');
      button.disabled = false;
    }
    await this.#refresh();
  }

  async #remove(app, confirm, button) {
    button.disabled = true;
    const purge = confirm.querySelector('.purge').checked;
    try {
      await this.#client.call('apps.remove', { id: app.id, purge });
      this.#setStatus(`Removed ${app.name}${purge ? ' and its data' : ''}.`);
    } catch (error) {
      this.#message(`Could not remove ${app.name}: ${errorText(error)}`, 'error');
      button.disabled = false;
    }
    await this.#refresh();
  }
}

/**
 * Where an app runs: its bundled page inside this extension (`entry.page`, only under its own `apps/<id>/`), or
 * its web origin; null when neither is usable.
 */
export function entryUrl(app) {
  const page = app?.entry?.page;
  if (typeof page === 'string') {
    return bundledAppId(page) === app.id ? chrome.runtime.getURL(page) : null;
  }
  const origin = app?.entry?.origin;
  return typeof origin === 'string' && /^https?:\/\/[^/]+$/.test(origin) ? `${origin}/` : null;
}
