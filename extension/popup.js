/**
 * Toolbar popup: the node's peer ID, listen addresses and connected peer count; every origin
 * with its grants and a Revoke button; a message and a Retry button when the daemon is unreachable.
 * Refreshes on 'grants.changed', 'peers.changed' and 'host.state' events from the service worker.
 */
import { describeCapability } from './capabilities.js';
import { UiClient } from './ui-client.js';

const client = new UiClient();
const $ = (id) => document.getElementById(id);
let rendering = null;

async function render() {
  try {
    const info = await client.call('node.info');
    const { grants } = await client.call('grants.list');
    showNode(info);
    showGrants(grants ?? []);
    $('status').textContent = 'Connected to the Omnipeer daemon.';
    $('unreachable').hidden = true;
  } catch (error) {
    $('node').hidden = true;
    $('sites').hidden = true;
    $('error-message').textContent = error?.code === 4900
      ? error.message.replace(/\.?$/, '.')
      : `The Omnipeer daemon answered with an error: ${error?.message ?? error}`;
    $('status').textContent = 'Not connected.';
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
  const list = $('listen-addrs');
  list.replaceChildren(...(info.listenAddrs ?? []).map((addr) => item(addr)));
  $('node').hidden = false;
}

function showGrants(grants) {
  const byOrigin = new Map();
  for (const grant of grants) {
    if (!byOrigin.has(grant.origin)) byOrigin.set(grant.origin, []);
    byOrigin.get(grant.origin).push(grant.capability);
  }
  const rows = [...byOrigin.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([origin, capabilities]) => {
    const row = document.createElement('li');
    row.className = 'origin';
    row.dataset.origin = origin;
    const text = document.createElement('div');
    const name = document.createElement('strong');
    name.textContent = origin;
    const what = document.createElement('ul');
    what.append(...capabilities.map((capability) => item(describeCapability(capability), capability)));
    text.append(name, what);
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.className = 'revoke';
    revoke.dataset.origin = origin;
    revoke.textContent = 'Revoke';
    revoke.setAttribute('aria-label', `Revoke all permissions of ${origin}`);
    revoke.addEventListener('click', () => revokeOrigin(origin, revoke));
    row.append(text, revoke);
    return row;
  });
  $('grant-list').replaceChildren(...rows);
  $('no-grants').hidden = rows.length > 0;
  $('sites').hidden = false;
}

async function revokeOrigin(origin, button) {
  button.disabled = true;
  try {
    await client.call('grants.revoke', { origin });
    $('status').textContent = `Revoked the permissions of ${origin}.`;
  } catch (error) {
    $('status').textContent = `Could not revoke: ${error?.message ?? error}`;
    button.disabled = false;
  }
  await refresh();
}

function item(text, title) {
  const li = document.createElement('li');
  li.textContent = text;
  if (title) li.dataset.capability = title;
  return li;
}

$('retry').addEventListener('click', () => {
  $('status').textContent = 'Connecting to the Omnipeer daemon…';
  refresh();
});
client.onEvent((event) => {
  if (event === 'grants.changed' || event === 'peers.changed' || event === 'host.state') refresh();
});
refresh();
