/**
 * Toolbar popup: tabs Node (peer ID, addresses, peer count), Apps (installed apps, install from a
 * manifest file, enable/disable/remove, live usage), Permissions (grants per app or site with
 * expiry and revoke) and Settings (global bandwidth limits, data directory size); a message and a
 * Retry button when the daemon is unreachable. Refreshes on 'grants.changed', 'peers.changed',
 * 'apps.changed' and 'host.state' events from the service worker.
 */
import { AppsPanel } from './popup-apps.js';
import { PermissionsPanel } from './popup-permissions.js';
import { SettingsPanel } from './popup-settings.js';
import { Tabs } from './tabs.js';
import { UiClient } from './ui-client.js';

const client = new UiClient();
const $ = (id) => document.getElementById(id);
const PANELS = ['node', 'apps', 'sites', 'settings'];
let rendering = null;
let connected = false;

const setStatus = (text) => { $('status').textContent = text; };
const apps = new AppsPanel(client, { setStatus, refresh: () => refresh() });
const permissions = new PermissionsPanel(client, { setStatus, refresh: () => refresh() });
const settings = new SettingsPanel(client);
const tabs = new Tabs($('tabs'), (panel) => {
  apps.setVisible(connected && panel === 'apps');
  if (panel === 'settings') settings.load();
});

async function render() {
  try {
    const info = await client.call('node.info');
    const { grants } = await client.call('grants.list');
    showNode(info);
    const installed = await apps.load();
    permissions.show(grants ?? [], installed);
    setStatus('Connected to the Omnipeer daemon.');
    $('unreachable').hidden = true;
    $('tabs').hidden = false;
    if (!connected) {
      connected = true;
      tabs.select(tabs.selected());
    }
  } catch (error) {
    connected = false;
    apps.setVisible(false);
    $('tabs').hidden = true;
    for (const id of PANELS) $(id).hidden = true;
    $('error-message').textContent = error?.code === 4900
      ? error.message.replace(/\.?$/, '.')
      : `The Omnipeer daemon answered with an error: ${error?.message ?? error}`;
    setStatus('Not connected.');
    $('unreachable').hidden = false;
  }
}

/** Coalesces bursts of events into one refresh. */
function refresh() {
  if (rendering === null) rendering = render().finally(() => { rendering = null; });
  return rendering;
}

function showNode(info) {
  $('peer-id').textContent = info.peerId;
  $('peer-count').textContent = String(info.connectedPeers);
  $('agent-version').textContent = info.agentVersion ?? '';
  $('listen-addrs').replaceChildren(...(info.listenAddrs ?? []).map((addr) => {
    const li = document.createElement('li');
    li.textContent = addr;
    return li;
  }));
}

$('retry').addEventListener('click', () => {
  setStatus('Connecting to the Omnipeer daemon…');
  refresh();
});
client.onEvent((event) => {
  if (['grants.changed', 'peers.changed', 'apps.changed', 'host.state'].includes(event)) refresh();
});
refresh();
