/**
 * Shapes of the messages the service worker accepts: page requests (from content.js over a
 * runtime port) and host messages (from the native-messaging shim).
 * Spec: API.md "control / bridge protocol". Never trust a page message (STYLE.md #11): every
 * request is rebuilt from validated fields; the origin is added later from the port's sender.
 */
import { INVALID_PARAMS, INVALID_REQUEST, UNAUTHORIZED, UNSUPPORTED_METHOD, rpcError } from './errors.js';
import { isValidDhtKey, isValidProtocol, isValidTopic, parseCapabilityList } from './capabilities.js';

/** Tag on every window.postMessage between inpage.js and content.js. */
export const PAGE_CHANNEL = 'omnipeer:p2p:v1';
/** Runtime port names: content scripts, and extension pages (popup, prompt). */
export const PAGE_PORT_NAME = 'omnipeer-page';
export const UI_PORT_NAME = 'omnipeer-ui';

/** Largest pubsub payload a page may publish: 1 MiB, the libp2p pubsub default max message size. */
export const MAX_PUBLISH_BYTES = 1024 * 1024;
/** Largest binary payload of one streams.write, storage.put or dht.put: 1 MiB (one bridge frame stays small). */
export const MAX_DATA_BYTES = 1024 * 1024;
/** Longest storage key or prefix, in characters (API.md "apps platform": storage). */
export const MAX_STORAGE_KEY_LENGTH = 512;
/** Longest notification title and body, in characters (the daemon's NotificationRequests). */
export const MAX_NOTIFICATION_TITLE = 128;
export const MAX_NOTIFICATION_BODY = 1024;
/** Longest request id / subscription id string accepted (a UUID is 36). */
export const MAX_ID_LENGTH = 64;
const MAX_METHOD_LENGTH = 64;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// common.schema.json#/$defs/peerId: base58btc, 40..128 characters.
const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{40,128}$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Methods a page may call, with a validator that returns the params to forward. */
const PAGE_METHODS = {
  'node.info': () => ({}),
  'peers.list': () => ({}),
  'grants.list': () => ({}),
  'pubsub.subscribe': (params) => ({ topic: topicParam(params) }),
  'pubsub.unsubscribe': (params) => ({ subscription: idParam(params, 'subscription') }),
  'pubsub.publish': (params) => ({ topic: topicParam(params), data: dataParam(params, 'data', MAX_PUBLISH_BYTES) }),
  // Answered by the service worker itself (never reaches the daemon): the baseline of the bridge-latency bench.
  'bridge.echo': (params) => ({ data: params.data === undefined ? '' : dataParam(params, 'data', MAX_PUBLISH_BYTES) }),
  'apps.current': () => ({}),
  'notifications.show': (params) => (params.body === undefined
    ? { title: textParam(params, 'title', MAX_NOTIFICATION_TITLE, 1) }
    : { title: textParam(params, 'title', MAX_NOTIFICATION_TITLE, 1), body: textParam(params, 'body', MAX_NOTIFICATION_BODY, 0) }),
  'streams.open': (params) => ({ peerId: peerIdParam(params), protocol: protocolParam(params) }),
  'streams.handle': (params) => ({ protocol: protocolParam(params) }),
  'streams.unhandle': (params) => ({ handler: idParam(params, 'handler') }),
  'streams.write': (params) => ({ stream: idParam(params, 'stream'), data: dataParam(params, 'data', MAX_DATA_BYTES) }),
  'streams.close': (params) => ({ stream: idParam(params, 'stream') }),
  'streams.reset': (params) => ({ stream: idParam(params, 'stream') }),
  'storage.get': (params) => ({ key: storageKeyParam(params, 'key') }),
  'storage.put': (params) => ({ key: storageKeyParam(params, 'key'), data: dataParam(params, 'data', MAX_DATA_BYTES) }),
  'storage.delete': (params) => ({ key: storageKeyParam(params, 'key') }),
  'storage.list': (params) => (params.prefix === undefined || params.prefix === ''
    ? {} : { prefix: storageKeyParam(params, 'prefix') }),
  'dht.get': (params) => ({ key: dhtKeyParam(params) }),
  'dht.put': (params) => ({ key: dhtKeyParam(params), value: dataParam(params, 'value', MAX_DATA_BYTES) }),
  'p2p.requestAccess': (params) => {
    const parsed = parseCapabilityList(params.capabilities);
    if (!parsed.ok) throw rpcError(INVALID_PARAMS, parsed.reason);
    return { capabilities: parsed.capabilities };
  },
};

/**
 * A no-op the service worker answers without the daemon and without any grant: it returns the page's own
 * `data` (base64, at most MAX_PUBLISH_BYTES) unchanged, so it reveals nothing and costs one hop each way.
 * It measures page -> content script -> service worker -> back (bench/, "Bridge latency").
 */
export const ECHO_METHOD = 'bridge.echo';

/** Methods that exist on the control socket but only the user (CLI, popup) may call. */
const USER_ONLY_METHODS = new Set(['grants.add', 'grants.revoke', 'peers.connect', 'peers.ping',
  'apps.list', 'apps.install', 'apps.info', 'apps.enable', 'apps.disable', 'apps.remove', 'apps.usage',
  'settings.get', 'settings.set', 'dht.findPeer', 'dht.provide', 'dht.findProviders']);

/**
 * Validates a request from a page and rebuilds its params.
 * @param {unknown} message `{id, method, params?}` as posted by content.js
 * @returns {{id:number|string, method:string, params:object}}
 * @throws {{code:number, message:string}} -32600 bad shape, 4200 unknown method,
 *   4100 user-only method, -32602 bad params
 */
export function validatePageRequest(message) {
  if (!isPlainObject(message)) throw rpcError(INVALID_REQUEST, 'request must be an object');
  const { id, method } = message;
  if (!isRequestId(id)) throw rpcError(INVALID_REQUEST, 'request id must be a safe integer or a short string');
  if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH) {
    throw rpcError(INVALID_REQUEST, 'method must be a non-empty string');
  }
  const params = message.params === undefined ? {} : message.params;
  if (!isPlainObject(params)) throw rpcError(INVALID_REQUEST, 'params must be an object');
  if (USER_ONLY_METHODS.has(method)) {
    throw rpcError(UNAUTHORIZED, `${method} can only be called by the user (popup or CLI)`);
  }
  const validator = Object.hasOwn(PAGE_METHODS, method) ? PAGE_METHODS[method] : null;
  if (validator === null) throw rpcError(UNSUPPORTED_METHOD, `unsupported method: ${method.slice(0, 64)}`);
  return { id, method, params: validator(params) };
}

/**
 * The params forwarded to the daemon for a validated page request: the rebuilt params plus the
 * origin the service worker took from the port's sender (API.md: the daemon checks its grants).
 */
export function toHostParams(request, origin) {
  return { ...request.params, origin };
}

/**
 * Classifies one (reassembled) message from the native host.
 * @returns {{kind:'response', id, result?, error?} | {kind:'notification', method, params}
 *   | {kind:'chunk', chunk} | {kind:'invalid', reason:string}}
 */
export function classifyHostMessage(message) {
  if (!isPlainObject(message)) return { kind: 'invalid', reason: 'not an object' };
  if (Object.hasOwn(message, 'chunk')) return { kind: 'chunk', chunk: message.chunk };
  if (typeof message.method === 'string' && message.id === undefined) {
    const params = message.params === undefined ? {} : message.params;
    if (!isPlainObject(params)) return { kind: 'invalid', reason: 'notification params not an object' };
    return { kind: 'notification', method: message.method, params };
  }
  if (isRequestId(message.id) || message.id === null) {
    if (Object.hasOwn(message, 'error')) {
      const e = message.error;
      if (!isPlainObject(e) || !Number.isInteger(e.code) || typeof e.message !== 'string') {
        return { kind: 'invalid', reason: 'error without integer code and string message' };
      }
      return { kind: 'response', id: message.id, error: rpcError(e.code, e.message, e.data) };
    }
    if (Object.hasOwn(message, 'result')) return { kind: 'response', id: message.id, result: message.result };
    return { kind: 'invalid', reason: 'response without result or error' };
  }
  return { kind: 'invalid', reason: 'neither response, notification nor chunk' };
}

/** Standard base64 of a byte array (chunked so large payloads do not overflow the call stack). */
export function bytesToBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Decoded size in bytes of a padded standard base64 string. */
export function base64DecodedLength(text) {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

function topicParam(params) {
  if (!isValidTopic(params.topic)) throw rpcError(INVALID_PARAMS, 'topic must be a non-empty string without control characters');
  return params.topic;
}

function idParam(params, name) {
  const value = params[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw rpcError(INVALID_PARAMS, `${name} must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
  return value;
}

function dataParam(params, name, maxBytes) {
  const data = params[name];
  if (typeof data !== 'string' || data.length % 4 !== 0 || !BASE64.test(data)) {
    throw rpcError(INVALID_PARAMS, `${name} must be standard padded base64`);
  }
  if (base64DecodedLength(data) > maxBytes) {
    throw rpcError(INVALID_PARAMS, `${name} exceeds ${maxBytes} bytes`);
  }
  return data;
}

function peerIdParam(params) {
  if (typeof params.peerId !== 'string' || !PEER_ID.test(params.peerId)) {
    throw rpcError(INVALID_PARAMS, 'peerId must be a base58 peer ID (12D3KooW...)');
  }
  return params.peerId;
}

function protocolParam(params) {
  if (!isValidProtocol(params.protocol)) {
    throw rpcError(INVALID_PARAMS, 'protocol must be a non-empty string without whitespace or control characters');
  }
  return params.protocol;
}

function dhtKeyParam(params) {
  if (!isValidDhtKey(params.key)) throw rpcError(INVALID_PARAMS, 'key must be a non-empty string without control characters');
  return params.key;
}

function storageKeyParam(params, name) {
  const key = params[name];
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_STORAGE_KEY_LENGTH || CONTROL_CHARACTERS.test(key)) {
    throw rpcError(INVALID_PARAMS, `${name} must be 1..${MAX_STORAGE_KEY_LENGTH} characters without control characters`);
  }
  return key;
}

/** A notification text: `min..max` characters, no control characters (the body may hold newlines). */
function textParam(params, name, max, min) {
  const text = params[name];
  const checked = name === 'body' && typeof text === 'string' ? text.replaceAll('\n', ' ') : text;
  if (typeof text !== 'string' || text.length < min || text.length > max || CONTROL_CHARACTERS.test(checked)) {
    throw rpcError(INVALID_PARAMS, `${name} must be ${min}..${max} characters without control characters`);
  }
  return text;
}

function isRequestId(id) {
  return Number.isSafeInteger(id) || (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH);
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
