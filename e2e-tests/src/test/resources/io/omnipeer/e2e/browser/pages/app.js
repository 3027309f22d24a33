// A minimal chat app built only on window.p2p, driven by the browser tests through its buttons.
const $ = (id) => document.getElementById(id);
let unsubscribe = null;
let seq = 0;

$('provider').textContent = window.p2p ? 'window.p2p: present' : 'window.p2p: missing';

function show(promise) {
  const n = ++seq;
  $('result').dataset.state = 'pending';
  promise.then(
    (value) => { $('result').textContent = JSON.stringify(value ?? null); $('result').dataset.state = 'ok'; delete $('result').dataset.code; },
    (error) => { $('result').textContent = `${error.code}: ${error.message}`; $('result').dataset.state = 'error'; $('result').dataset.code = String(error.code); },
  ).finally(() => { $('result').dataset.seq = String(n); });
}

$('request-access').addEventListener('click', () => {
  const capabilities = $('capabilities').value.split(',').map((s) => s.trim()).filter(Boolean);
  show(p2p.requestAccess(capabilities));
});
$('subscribe').addEventListener('click', () => show((async () => {
  unsubscribe = await p2p.pubsub.subscribe($('topic').value, (message) => {
    const li = document.createElement('li');
    li.textContent = message.text;
    li.dataset.from = message.from;
    $('messages').append(li);
  });
  return { subscription: unsubscribe.subscription };
})()));
$('unsubscribe').addEventListener('click', () => show(unsubscribe ? unsubscribe() : Promise.resolve({})));
$('publish').addEventListener('click', () => show(p2p.pubsub.publish($('topic').value, $('message').value)));
for (const name of ['connect', 'disconnect', 'peersChanged', 'grantsChanged']) {
  p2p.on(name, (data) => {
    const li = document.createElement('li');
    li.textContent = `${name} ${JSON.stringify(data)}`;
    li.dataset.event = name;
    $('events').append(li);
  });
}
