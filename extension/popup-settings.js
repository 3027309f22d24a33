/**
 * The popup's Settings tab: the node's global bandwidth limits (KiB/s, 0 = unlimited; settings.set)
 * and where its data lives and how much disk it takes (settings.get).
 * Spec: API.md "resource manager" (settings.get/set, served by helper rcmgr).
 */
import { errorText } from './dom.js';
import { formatBytes } from './format.js';
import { MAX_KIBPS } from './ui-methods.js';

const $ = (id) => document.getElementById(id);
const FIELDS = [['bandwidth-in', 'bandwidthInKiBps'], ['bandwidth-out', 'bandwidthOutKiBps']];

export class SettingsPanel {
  #client;

  constructor(client) {
    this.#client = client;
    $('settings-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#save();
    });
  }

  /** Reads the current settings into the form (fields the user is editing are left alone). */
  async load() {
    try {
      const { settings } = await this.#client.call('settings.get');
      this.#show(settings, false);
    } catch (error) {
      $('settings-message').textContent = error?.code === 4200
        ? 'This Omnipeer daemon has no settings to change.'
        : `Could not read the settings: ${errorText(error)}`;
    }
  }

  #show(settings, force) {
    for (const [id, name] of FIELDS) {
      if (force || document.activeElement !== $(id)) $(id).value = String(settings[name] ?? 0);
      $(id).removeAttribute('aria-invalid');
    }
    $('data-dir').textContent = settings.dataDir ?? '';
    $('data-dir-size').textContent = formatBytes(settings.dataDirBytes);
  }

  async #save() {
    const values = {};
    for (const [id, name] of FIELDS) {
      const text = $(id).value.trim();
      const value = Number(text);
      if (text === '' || !Number.isSafeInteger(value) || value < 0 || value > MAX_KIBPS) {
        $(id).setAttribute('aria-invalid', 'true');
        $('settings-message').textContent = `Enter a whole number of KiB/s from 0 (unlimited) to ${MAX_KIBPS}.`;
        $(id).focus();
        return;
      }
      values[name] = value;
    }
    $('save-settings').disabled = true;
    try {
      const { settings } = await this.#client.call('settings.set', { settings: values });
      this.#show(settings, true);
      $('settings-message').textContent = 'Saved.';
    } catch (error) {
      $('settings-message').textContent = `Could not save: ${errorText(error)}`;
    } finally {
      $('save-settings').disabled = false;
    }
  }
}
