/**
 * Permission prompt window: shows the first queued request (origin and each capability in plain
 * words) with Approve / Deny. The service worker owns the queue and closes this window when it is
 * empty; closing the window rejects everything pending (4001).
 */
import { UiClient } from './ui-client.js';

const client = new UiClient();
const $ = (id) => document.getElementById(id);
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
  $('origin').textContent = head.origin;
  $('capabilities').replaceChildren(...head.descriptions.map((text, i) => {
    const li = document.createElement('li');
    li.textContent = text;
    li.dataset.capability = head.capabilities[i];
    return li;
  }));
  $('waiting').hidden = head.waiting === 0;
  $('waiting').textContent = `${head.waiting} more request${head.waiting === 1 ? '' : 's'} waiting.`;
  $('approve').disabled = false;
  $('deny').disabled = false;
  $('request').hidden = false;
  // Keyboard users start on Deny: a stray Enter must not grant anything.
  $('deny').focus();
}

async function decide(approve) {
  if (current === null) return;
  $('approve').disabled = true;
  $('deny').disabled = true;
  const id = current.id;
  current = null;
  await client.call('prompt.decide', { id, approve }).catch(() => {});
  await show();
}

$('approve').addEventListener('click', () => decide(true));
$('deny').addEventListener('click', () => decide(false));
client.onEvent((event) => { if (event === 'prompt.changed') show(); });
// The service worker restarted: its queue is gone and the pages got 4900, so nothing is left to answer.
client.onDisconnect(() => window.close());
show();
