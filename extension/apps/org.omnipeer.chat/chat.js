// Omnipeer Chat: a bundled app (an extension page under apps/<id>/), installed like any other app from its
// signed manifest (entry.page = apps/org.omnipeer.chat/index.html). It talks only through window.p2p: one pubsub
// room, which the daemon namespaces to this app on the wire (/omnipeer/app/org.omnipeer.chat/lobby).
'use strict';
(() => {
  const ROOM = 'lobby';
  const $ = (id) => document.getElementById(id);
  const status = (text) => { $('status').textContent = text; };
  const decoder = new TextDecoder();

  function show(from, text) {
    const item = document.createElement('li');
    const who = document.createElement('span');
    who.className = 'from';
    who.textContent = from ? `${from.slice(-6)}:` : 'you:';
    item.append(who, document.createTextNode(text));
    $('messages').append(item);
  }

  $('join').addEventListener('click', async () => {
    try {
      await window.p2p.requestAccess([`pubsub:${ROOM}`]);
      await window.p2p.pubsub.subscribe(ROOM, (m) => show(m.from, decoder.decode(m.data)));
      const app = await window.p2p.apps.current().catch(() => null);
      status(`Joined #${ROOM}${app ? ` as ${app.name}` : ''}.`);
      $('join').hidden = true;
      $('send-form').hidden = false;
      $('message').focus();
    } catch (error) {
      status(`Could not join: ${error.message} (${error.code})`);
    }
  });

  $('send-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('message').value;
    if (text === '') return;
    try {
      await window.p2p.pubsub.publish(ROOM, text);
      $('message').value = '';
    } catch (error) {
      status(`Not sent: ${error.message} (${error.code})`);
    }
  });

  window.p2p.on('grantsChanged', ({ capabilities }) => {
    if (!capabilities.includes(`pubsub:${ROOM}`)) status('Access was revoked: join again to keep chatting.');
  });
})();
