/**
 * Service worker: routes page requests (content.js ports) and UI requests (popup, prompt) to
 * the native host, and host notifications back to the right tabs.
 * - A page's origin comes from its port's sender, never from the page.
 * - Grants are checked here (GrantCache) and again by the daemon.
 * - One permission prompt window with a queue (PromptQueue); approving calls grants.add here.
 * Spec: API.md "control / bridge protocol".
 */
import { ANY_GRANT, describeCapability, isAllowed, pubsubCapability, requiredCapability } from './capabilities.js';
import { DISCONNECTED, RESOURCE_LIMIT, UNAUTHORIZED, USER_REJECTED, INVALID_PARAMS, rpcError, toRpcError } from './errors.js';
import { GrantCache } from './grant-cache.js';
import { HOST_NAME, HostPort } from './host-port.js';
import { ECHO_METHOD, PAGE_PORT_NAME, UI_PORT_NAME, MAX_ID_LENGTH, toHostParams, validatePageRequest } from './messages.js';
import { Decision, PromptQueue, QueueFullError } from './prompt-queue.js';

/** Most live subscriptions one page may hold. */
const MAX_SUBSCRIPTIONS_PER_PAGE = 64;
const PROMPT_SIZE = { width: 440, height: 400 };

const host = new HostPort({
  connect: () => chrome.runtime.connectNative(HOST_NAME),
  lastError: () => chrome.runtime.lastError?.message,
});
const grants = new GrantCache(async (origin) => (await host.request('grants.list', { origin })).grants ?? []);
const prompts = new PromptQueue({
  open: async () => (await chrome.windows.create({ type: 'popup', url: chrome.runtime.getURL('prompt.html'), focused: true, ...PROMPT_SIZE })).id,
  focus: (id) => chrome.windows.update(id, { focused: true }).catch(() => {}),
  close: (id) => chrome.windows.remove(id).catch(() => {}),
  changed: () => broadcastUi('prompt.changed', {}),
});

const pages = new Set(); // {port, origin, subscriptions: Map<id, topic>}
const uiPorts = new Set();
const subscriptions = new Map(); // subscription id -> page

chrome.windows.onRemoved.addListener((windowId) => prompts.windowClosed(windowId));

chrome.runtime.onConnect.addListener((port) => {
  if (port.name === PAGE_PORT_NAME) {
    const origin = pageOrigin(port.sender);
    if (origin === null) port.disconnect();
    else acceptPage(port, origin);
  } else if (port.name === UI_PORT_NAME && isExtensionPage(port.sender)) {
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
    case 'grants.changed':
      grantsChanged(typeof params.origin === 'string' ? params.origin : undefined);
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
  }
  const data = connected ? {} : rpcError(DISCONNECTED, `Cannot reach the Omnipeer daemon: ${reason}`);
  for (const page of pages) {
    if (isKnownApp(page)) post(page.port, { event: connected ? 'connect' : 'disconnect', data });
    if (!connected) page.subscriptions.clear();
  }
  broadcastUi('host.state', { connected, reason: reason ?? null });
});

function acceptPage(port, origin) {
  const page = { port, origin, subscriptions: new Map() };
  pages.add(page);
  port.onMessage.addListener((message) => {
    let request;
    try {
      request = validatePageRequest(message);
    } catch (error) {
      post(port, { id: safeId(message), error: toRpcError(error) });
      return;
    }
    servePage(page, request).then(
      (result) => post(port, { id: request.id, result }),
      (error) => post(port, { id: request.id, error: toRpcError(error) }),
    );
  });
  port.onDisconnect.addListener(() => pageGone(page));
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
    default:
      break;
  }
  const required = requiredCapability(method, params);
  if (!isAllowed(required, await grants.capabilities(page.origin))) {
    const what = required === ANY_GRANT ? 'any permission' : `the permission "${required}"`;
    throw rpcError(UNAUTHORIZED, `${page.origin} does not have ${what}; call p2p.requestAccess first`);
  }
  if (method === 'pubsub.subscribe' && page.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_PAGE) {
    throw rpcError(RESOURCE_LIMIT, `at most ${MAX_SUBSCRIPTIONS_PER_PAGE} subscriptions per page`);
  }
  const result = await host.request(method, toHostParams(request, page.origin));
  if (method === 'pubsub.subscribe') trackSubscription(page, result.subscription, params.topic);
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
    if (decision !== Decision.APPROVED) throw rpcError(USER_REJECTED, 'The user rejected the request');
    await host.request('grants.add', { origin: page.origin, capabilities: missing });
    // The daemon broadcasts grants.changed too; invalidate now so the page's next call sees the grant.
    grants.invalidate(page.origin);
  }
  return { grants: await ownGrants(page.origin) };
}

async function ownGrants(origin) {
  const result = await host.request('grants.list', { origin });
  const own = (result.grants ?? []).filter((grant) => grant.origin === origin);
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
  for (const subscription of [...page.subscriptions.keys()]) {
    forgetSubscription(page, subscription);
    if (host.connected) host.request('pubsub.unsubscribe', { subscription, origin: page.origin }).catch(() => {});
  }
}

/**
 * Grants of `origin` (or of every origin) changed: drop the cache, tell its pages and the UI, then
 * stop delivering messages of subscriptions whose topic is no longer granted (the daemon closes
 * them too; it is the source of truth and stops them at once).
 */
function grantsChanged(origin) {
  grants.invalidate(origin);
  broadcastUi('grants.changed', { origin: origin ?? null });
  for (const page of pages) {
    if (origin !== undefined && page.origin !== origin) continue;
    post(page.port, { event: 'grantsChanged', data: { origin: page.origin } });
    if (page.subscriptions.size === 0) continue;
    grants.capabilities(page.origin).then(
      (held) => {
        for (const [subscription, topic] of [...page.subscriptions]) {
          if (!held.includes(pubsubCapability(topic))) closeRevoked(page, subscription, topic);
        }
      },
      () => {},
    );
  }
}

/**
 * The user revoked `capability` (or everything) of `origin` in the popup: stop delivering to its
 * subscriptions now. The daemon's grants.changed broadcast then tells pages and views.
 */
function revoked(origin, capability) {
  grants.invalidate(origin);
  for (const page of pages) {
    if (page.origin !== origin) continue;
    for (const [subscription, topic] of [...page.subscriptions]) {
      if (capability === undefined || capability === pubsubCapability(topic)) closeRevoked(page, subscription, topic);
    }
  }
}

function closeRevoked(page, subscription, topic) {
  forgetSubscription(page, subscription);
  post(page.port, { event: 'subscriptionClosed', data: { subscription, topic, reason: 'permission revoked' } });
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
  switch (method) {
    case 'node.info':
    case 'peers.list':
      return host.request(method, {});
    case 'grants.list':
      return host.request('grants.list', {});
    case 'grants.revoke': {
      if (typeof params.origin !== 'string') throw rpcError(INVALID_PARAMS, 'origin must be a string');
      const revoke = { origin: params.origin };
      if (typeof params.capability === 'string') revoke.capability = params.capability;
      const result = await host.request('grants.revoke', revoke);
      revoked(revoke.origin, revoke.capability);
      return result;
    }
    case 'host.state':
      return { connected: host.connected, reason: host.lastFailure };
    case 'prompt.current': {
      const head = prompts.head();
      return head === null ? null : { ...head, descriptions: head.capabilities.map(describeCapability) };
    }
    case 'prompt.decide':
      prompts.decide(params.id, params.approve === true);
      return {};
    default:
      throw rpcError(INVALID_PARAMS, `unknown UI method ${String(method).slice(0, 64)}`);
  }
}

function broadcastUi(event, data) {
  for (const port of uiPorts) post(port, { event, data });
}

function isKnownApp(page) {
  return page.subscriptions.size > 0 || grants.knownGranted(page.origin);
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

function isExtensionPage(sender) {
  return typeof sender?.url === 'string' && sender.url.startsWith(chrome.runtime.getURL(''));
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
