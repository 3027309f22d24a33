/**
 * Service worker: routes page requests (content.js ports) and UI requests (popup, prompt) to
 * the native host, and host notifications back to the right tabs.
 * - A page's origin comes from its port's sender, never from the page.
 * - Grants are checked here (GrantCache) and again by the daemon; streams, handlers and
 *   subscriptions are usable only by the page that opened them.
 * - One permission prompt window with a queue (PromptQueue); approving calls grants.add here;
 *   "Allow once" grants end with the page that asked (OnceGrants).
 * Spec: API.md "control / bridge protocol", "apps platform".
 */
import { APP_PRINCIPAL_PREFIX, appIdOf, AppDirectory } from './app-directory.js';
import {
  describeCapability, describeRequirement, isAllowed, pubsubCapability, requiredCapability,
} from './capabilities.js';
import { DISCONNECTED, INVALID_PARAMS, RESOURCE_LIMIT, UNAUTHORIZED, USER_REJECTED, rpcError, toRpcError } from './errors.js';
import { showNotification } from './desktop-notifications.js';
import { GrantCache } from './grant-cache.js';
import { HOST_NAME, HostPort } from './host-port.js';
import { ECHO_METHOD, MAX_ID_LENGTH, PAGE_PORT_NAME, UI_PORT_NAME, toHostParams, validatePageRequest } from './messages.js';
import { ONCE_GRANT_BOUND_MS, OnceGrants } from './once-grants.js';
import { Decision, PromptQueue, QueueFullError } from './prompt-queue.js';
import { StreamRouter } from './stream-router.js';
import { forwardedUiParams, revokeParams } from './ui-methods.js';

/** Most live subscriptions one page may hold. */
const MAX_SUBSCRIPTIONS_PER_PAGE = 64;
/** Messages a bundled app page may send before it is recognised (while the app list is read). */
const MAX_EARLY_MESSAGES = 256;
const PROMPT_SIZE = { width: 460, height: 520 };
/** Extension pages that may open the UI port (the user's own views). */
const UI_PAGES = new Set(['/popup.html', '/prompt.html']);
const REVOKED_REASON = 'permission revoked';

const host = new HostPort({
  connect: () => chrome.runtime.connectNative(HOST_NAME),
  lastError: () => chrome.runtime.lastError?.message,
});
const grants = new GrantCache(async (origin) => (await host.request('grants.list', { origin })).grants ?? []);
const apps = new AppDirectory(async () => (await host.request('apps.list', {})).apps ?? []);
const prompts = new PromptQueue({
  open: async () => (await chrome.windows.create({ type: 'popup', url: chrome.runtime.getURL('prompt.html'), focused: true, ...PROMPT_SIZE })).id,
  focus: (id) => chrome.windows.update(id, { focused: true }).catch(() => {}),
  close: (id) => chrome.windows.remove(id).catch(() => {}),
  changed: () => broadcastUi('prompt.changed', {}),
});
const onceGrants = new OnceGrants();

const pages = new Set(); // {port, origin, subscriptions: Map<id, topic>}
const streams = new StreamRouter({ host, post, isLive: (page) => pages.has(page) });
const uiPorts = new Set();
const subscriptions = new Map(); // subscription id -> page

chrome.windows.onRemoved.addListener((windowId) => prompts.windowClosed(windowId));

chrome.runtime.onConnect.addListener((port) => {
  if (port.name === PAGE_PORT_NAME && isExtensionPage(port.sender)) {
    acceptBundledPage(port);
  } else if (port.name === PAGE_PORT_NAME) {
    const origin = pageOrigin(port.sender);
    if (origin === null) port.disconnect();
    else acceptPage(port, origin);
  } else if (port.name === UI_PORT_NAME && isUiPage(port.sender)) {
    acceptUi(port);
  } else {
    port.disconnect();
  }
});

host.onNotification((method, params) => {
  switch (method) {
    case 'pubsub.message': {
      const page = subscriptions.get(params.subscription);
      if (page !== undefined) {
        const { subscription, topic, from, data, seqno } = params;
        post(page.port, { event: 'message', data: { subscription, topic, from, data, seqno } });
      }
      break;
    }
    case 'streams.incoming':
      streams.incoming(params);
      break;
    case 'streams.data':
      streams.data(params);
      break;
    case 'streams.closed':
      streams.closed(params);
      break;
    case 'grants.changed':
      grantsChanged(typeof params.origin === 'string' ? params.origin : undefined);
      break;
    case 'apps.changed':
      apps.invalidate();
      grants.invalidate();
      broadcastUi('apps.changed', { id: typeof params.id === 'string' ? params.id : null });
      break;
    case 'peers.changed':
      for (const page of pages) if (isKnownApp(page)) post(page.port, { event: 'peersChanged', data: params });
      broadcastUi('peers.changed', params);
      break;
    default:
      console.warn(`omnipeer: ignored host notification ${method}`);
  }
});

host.onStateChange((connected, reason) => {
  if (!connected) {
    subscriptions.clear();
    grants.invalidate();
    apps.invalidate();
    streams.disconnected();
  }
  const data = connected ? {} : rpcError(DISCONNECTED, `Cannot reach the Omnipeer daemon: ${reason}`);
  for (const page of pages) {
    if (isKnownApp(page)) post(page.port, { event: connected ? 'connect' : 'disconnect', data });
    if (!connected) page.subscriptions.clear();
  }
  broadcastUi('host.state', { connected, reason: reason ?? null });
});

/**
 * A page of this extension (it loads inpage.js and content.js itself): only a bundled app's page under
 * `apps/<id>/` of an installed, enabled app whose entry is that page's folder gets `window.p2p`, as the principal
 * `app:<id>`. Messages that arrive while the app list is read are kept and replayed.
 */
function acceptBundledPage(port) {
  const early = [];
  const keep = (message) => { if (early.length < MAX_EARLY_MESSAGES) early.push(message); };
  port.onMessage.addListener(keep);
  let gone = false;
  port.onDisconnect.addListener(() => { gone = true; });
  const path = new URL(port.sender.url).pathname.slice(1);
  apps.appForBundledPage(path).then((app) => {
    port.onMessage.removeListener(keep);
    if (gone) return;
    if (app === null) {
      port.disconnect();
      return;
    }
    const page = acceptPage(port, APP_PRINCIPAL_PREFIX + app.id);
    for (const message of early) receive(page, message);
  }, () => {
    port.onMessage.removeListener(keep);
    if (!gone) port.disconnect();
  });
}

function acceptPage(port, origin) {
  const page = { port, origin, subscriptions: new Map() };
  pages.add(page);
  port.onMessage.addListener((message) => receive(page, message));
  port.onDisconnect.addListener(() => pageGone(page));
  return page;
}

function receive(page, message) {
  let request;
  try {
    request = validatePageRequest(message);
  } catch (error) {
    post(page.port, { id: safeId(message), error: toRpcError(error) });
    return;
  }
  servePage(page, request).then(
    (result) => post(page.port, { id: request.id, result }),
    (error) => post(page.port, { id: request.id, error: toRpcError(error) }),
  );
}

async function servePage(page, request) {
  const { method, params } = request;
  switch (method) {
    case 'p2p.requestAccess':
      return requestAccess(page, params.capabilities);
    case 'grants.list':
      return { grants: await ownGrants(page.origin) };
    case 'pubsub.unsubscribe':
      return unsubscribe(page, params.subscription);
    case ECHO_METHOD:
      return { data: params.data };
    case 'apps.current':
      return host.request(method, toHostParams(request, page.origin));
    case 'streams.write':
    case 'streams.close':
    case 'streams.reset':
    case 'streams.unhandle':
      return streams.forwardOwn(page, request);
    default:
      break;
  }
  const required = requiredCapability(method, params);
  if (!isAllowed(required, await grants.capabilities(page.origin))) {
    throw rpcError(UNAUTHORIZED, `${page.origin} does not have ${describeRequirement(required)}; call p2p.requestAccess first`);
  }
  if (method === 'pubsub.subscribe' && page.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_PAGE) {
    throw rpcError(RESOURCE_LIMIT, `at most ${MAX_SUBSCRIPTIONS_PER_PAGE} subscriptions per page`);
  }
  streams.checkLimits(page, method);
  const result = await host.request(method, toHostParams(request, page.origin));
  if (method === 'notifications.show') {
    const id = await showNotification(chrome.notifications, chrome.runtime.getURL, { origin: page.origin, ...params });
    return { id };
  }
  if (method === 'pubsub.subscribe') trackSubscription(page, result.subscription, params.topic);
  else if (method === 'streams.open' || method === 'streams.handle') streams.opened(page, method, params, result);
  return result;
}

async function requestAccess(page, capabilities) {
  const held = await grants.capabilities(page.origin);
  const missing = capabilities.filter((capability) => !held.includes(capability));
  if (missing.length > 0) {
    let decision;
    try {
      decision = await prompts.enqueue({ origin: page.origin, capabilities: missing, owner: page });
    } catch (error) {
      if (error instanceof QueueFullError) throw rpcError(RESOURCE_LIMIT, error.message);
      throw error;
    }
    if (decision === Decision.APPROVED) {
      for (const capability of missing) onceGrants.forget(page.origin, capability);
      await host.request('grants.add', { origin: page.origin, capabilities: missing });
    } else if (decision === Decision.APPROVED_ONCE) {
      if (!pages.has(page)) throw rpcError(USER_REJECTED, 'The page went away before the user answered');
      await addOnceGrants(page, missing);
    } else {
      throw rpcError(USER_REJECTED, 'The user rejected the request');
    }
    // The daemon broadcasts grants.changed too; invalidate now so the page's next call sees the grant.
    grants.invalidate(page.origin);
  }
  return { grants: await ownGrants(page.origin) };
}

/** Grants for this page's session: with an expiry bound in the daemon, revoked when the page goes. */
async function addOnceGrants(page, capabilities) {
  const params = { origin: page.origin, capabilities, expiresAt: Date.now() + ONCE_GRANT_BOUND_MS };
  try {
    await host.request('grants.add', params);
  } catch (error) {
    // A daemon without grant expiry refuses the field: the page-end revocation below still applies.
    if (error?.code !== INVALID_PARAMS) throw error;
    await host.request('grants.add', { origin: page.origin, capabilities });
  }
  onceGrants.add(page, page.origin, capabilities);
}

async function ownGrants(origin) {
  const result = await host.request('grants.list', { origin });
  const own = (result.grants ?? []).filter((grant) => grant.origin === origin || appIdOf(grant.origin) !== null);
  grants.update(origin, own);
  return own;
}

async function unsubscribe(page, subscription) {
  if (!page.subscriptions.has(subscription)) {
    throw rpcError(INVALID_PARAMS, 'no such subscription on this page');
  }
  forgetSubscription(page, subscription);
  return host.request('pubsub.unsubscribe', { subscription, origin: page.origin });
}

function trackSubscription(page, subscription, topic) {
  if (typeof subscription !== 'string' || subscription.length > MAX_ID_LENGTH) return;
  if (!pages.has(page)) {
    host.request('pubsub.unsubscribe', { subscription, origin: page.origin }).catch(() => {});
    return;
  }
  page.subscriptions.set(subscription, topic);
  subscriptions.set(subscription, page);
}

function forgetSubscription(page, subscription) {
  page.subscriptions.delete(subscription);
  subscriptions.delete(subscription);
}

function pageGone(page) {
  pages.delete(page);
  prompts.cancelOwner(page);
  const connected = host.connected;
  for (const subscription of [...page.subscriptions.keys()]) {
    forgetSubscription(page, subscription);
    if (connected) host.request('pubsub.unsubscribe', { subscription, origin: page.origin }).catch(() => {});
  }
  streams.pageGone(page);
  const ended = onceGrants.ownerGone(page);
  for (const { origin, capability } of ended) {
    host.request('grants.revoke', { origin, capability }).catch((error) => {
      console.warn(`omnipeer: could not end the allow-once grant ${capability} of ${origin}: ${error?.message}`);
    });
  }
  if (ended.length > 0) grants.invalidate(page.origin);
}

/** Pages whose grants live under `principal` (a web origin, `app:<id>`, or every page when undefined). */
async function pagesOf(principal) {
  const all = [...pages];
  if (principal === undefined) return all;
  const appId = appIdOf(principal);
  if (appId === null) return all.filter((page) => page.origin === principal);
  let list = [];
  try {
    list = await apps.list();
  } catch {
    return all; // cannot tell: every page re-checks its grants
  }
  const origins = new Set(list.filter((app) => app.id === appId).map((app) => app.entry?.origin));
  return all.filter((page) => page.origin === principal || origins.has(page.origin));
}

/**
 * Grants of `principal` (or of every origin) changed: drop the cache, tell its pages (with their
 * current grants) and the UI, then stop subscriptions, streams and handlers no longer granted
 * (the daemon closes them too; it is the source of truth).
 */
async function grantsChanged(principal) {
  if (principal === undefined || appIdOf(principal) !== null) grants.invalidate();
  else grants.invalidate(principal);
  broadcastUi('grants.changed', { origin: principal ?? null });
  for (const page of await pagesOf(principal)) {
    let held;
    try {
      held = await grants.capabilities(page.origin);
    } catch {
      continue;
    }
    if (!pages.has(page)) continue;
    post(page.port, { event: 'grantsChanged', data: { origin: page.origin, capabilities: held } });
    for (const [subscription, topic] of [...page.subscriptions]) {
      if (!held.includes(pubsubCapability(topic))) closeRevoked(page, subscription, topic);
    }
    streams.keepOnly(page, held);
  }
}

/**
 * The user revoked `capability` (or everything) of `principal` in the popup: stop its pages'
 * subscriptions, streams and handlers now. The daemon's grants.changed then tells pages and views.
 */
async function revoked(principal, capability) {
  onceGrants.forget(principal, capability);
  if (appIdOf(principal) !== null) grants.invalidate();
  else grants.invalidate(principal);
  for (const page of await pagesOf(principal)) {
    for (const [subscription, topic] of [...page.subscriptions]) {
      if (capability === undefined || capability === pubsubCapability(topic)) closeRevoked(page, subscription, topic);
    }
    streams.revoke(page, capability);
  }
}

function closeRevoked(page, subscription, topic) {
  forgetSubscription(page, subscription);
  post(page.port, { event: 'subscriptionClosed', data: { subscription, topic, reason: REVOKED_REASON } });
  if (host.connected) host.request('pubsub.unsubscribe', { subscription }).catch(() => {});
}

function acceptUi(port) {
  uiPorts.add(port);
  port.onDisconnect.addListener(() => uiPorts.delete(port));
  port.onMessage.addListener((message) => {
    const id = safeId(message);
    serveUi(message?.method, message?.params ?? {}).then(
      (result) => post(port, { id, result }),
      (error) => post(port, { id, error: toRpcError(error) }),
    );
  });
}

/** Requests from the popup and the prompt: the user's own, so they carry no origin. */
async function serveUi(method, params) {
  const forwarded = forwardedUiParams(method, params);
  if (forwarded !== null) return host.request(method, forwarded);
  switch (method) {
    case 'grants.revoke': {
      const revoke = revokeParams(params);
      const result = await host.request('grants.revoke', revoke);
      await revoked(revoke.origin, revoke.capability);
      return result;
    }
    case 'host.state':
      return { connected: host.connected, reason: host.lastFailure };
    case 'prompt.current':
      return currentPrompt();
    case 'prompt.decide':
      prompts.decide(params.id, params.approve === true, { once: params.once === true });
      return {};
    default:
      throw rpcError(INVALID_PARAMS, `unknown UI method ${String(method).slice(0, 64)}`);
  }
}

/** The prompt's head request with plain words and, when the origin is an installed app, the app. */
async function currentPrompt() {
  const head = prompts.head();
  if (head === null) return null;
  let app = null;
  try {
    const record = await apps.appForOrigin(head.origin);
    if (record !== null) {
      const { id, name, version, publisherKey, fingerprint, icon, description } = record;
      app = { id, name, version, publisherKey, fingerprint, icon, description };
    }
  } catch {
    // Daemon unreachable: the prompt still names the origin.
  }
  return { ...head, app, descriptions: head.capabilities.map(describeCapability) };
}

function broadcastUi(event, data) {
  for (const port of uiPorts) post(port, { event, data });
}

function isKnownApp(page) {
  return page.subscriptions.size > 0 || streams.hasStreams(page) || grants.knownGranted(page.origin);
}

/** The http(s) origin of a content script's frame, from the browser's sender record; null otherwise. */
function pageOrigin(sender) {
  let origin = typeof sender?.origin === 'string' ? sender.origin : null;
  if (origin === null && typeof sender?.url === 'string') {
    try {
      origin = new URL(sender.url).origin;
    } catch {
      return null;
    }
  }
  return origin !== null && /^https?:\/\/[^/]+$/.test(origin) ? origin : null;
}

/**
 * The popup and the permission prompt: the only pages that speak for the user (grants.add, apps.install...). A
 * bundled app page is an extension page too, so being one is not enough.
 */
function isUiPage(sender) {
  if (!isExtensionPage(sender)) return false;
  const path = new URL(sender.url).pathname;
  return UI_PAGES.has(path);
}

function isExtensionPage(sender) {
  return typeof sender?.url === 'string' && sender.url.startsWith(chrome.runtime.getURL(''))
    && (sender.id === undefined || sender.id === chrome.runtime.id);
}

function safeId(message) {
  const id = message?.id;
  return Number.isSafeInteger(id) || (typeof id === 'string' && id.length <= MAX_ID_LENGTH) ? id : null;
}

function post(port, message) {
  try {
    port.postMessage(message);
  } catch {
    // The receiving page or view is gone; its onDisconnect cleans up.
  }
}
