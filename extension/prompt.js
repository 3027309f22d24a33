/**
 * Permission prompt window: shows the first queued request (the app with its publisher key
 * fingerprint when the origin is an installed app, else the origin; each capability in plain words)
 * with Deny / Allow once / Always allow. The service worker owns the queue and closes this window
 * when it is empty; closing the window rejects everything pending (4001).
 */
import { UiClient } from './ui-client.js';

const client = new UiClient();
const $ = (id) => document.getElementById(id);
const BUTTONS = ['approve', 'allow-once', 'deny'];
let current = null;

async function show() {
  let head;
  try {
    head = await client.call('prompt.current');
  } catch (error) {
    $('status').textContent = `The Omnipeer extension is unavailable: ${error?.message ?? error}`;
    return;
  }
  if (head === null) {
    window.close();
    return;
  }
  current = head;
  const app = head.app ?? null;
  $('requester').textContent = app === null ? head.origin : app.name;
  $('requester').className = app === null ? 'mono' : '';
  $('origin').textContent = head.origin;
  $('app').hidden = app === null;
  if (app !== null) {
    $('app-name').textContent = app.name;
    $('app-version').textContent = app.version ? `version ${app.version}` : '';
    $('fingerprint').textContent = app.fingerprint ?? 'unknown';
  }
  $('capabilities').replaceChildren(...head.descriptions.map((text, i) => {
    const li = document.createElement('li');
    li.textContent = text;
    li.dataset.capability = head.capabilities[i];
    return li;
  }));
  $('waiting').hidden = head.waiting === 0;
  $('waiting').textContent = `${head.waiting} more request${head.waiting === 1 ? '' : 's'} waiting.`;
  for (const id of BUTTONS) $(id).disabled = false;
  $('request').hidden = false;
  // Keyboard users start on Deny: a stray Enter must not grant anything.
  $('deny').focus();
}

async function decide(approve, once) {
  if (current === null) return;
  for (const id of BUTTONS) $(id).disabled = true;
  const id = current.id;
  current = null;
  await client.call('prompt.decide', { id, approve, once }).catch(() => {});
  await show();
}

$('approve').addEventListener('click', () => decide(true, false));
$('allow-once').addEventListener('click', () => decide(true, true));
$('deny').addEventListener('click', () => decide(false, false));
client.onEvent((event) => { if (event === 'prompt.changed') show(); });
// The service worker restarted: its queue is gone and the pages got 4900, so nothing is left to answer.
client.onDisconnect(() => window.close());
show();
