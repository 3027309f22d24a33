/**
 * Shapes of the messages the service worker accepts: page requests (from content.js over a
 * runtime port) and host messages (from the native-messaging shim).
 * Spec: API.md "control / bridge protocol". Never trust a page message (STYLE.md #11): every
 * request is rebuilt from validated fields; the origin is added later from the port's sender.
 */
import { INVALID_PARAMS, INVALID_REQUEST, UNAUTHORIZED, UNSUPPORTED_METHOD, rpcError } from './errors.js';
import { isValidTopic, parseCapabilityList } from './capabilities.js';

/** Tag on every window.postMessage between inpage.js and content.js. */
export const PAGE_CHANNEL = 'omnipeer:p2p:v1';
/** Runtime port names: content scripts, and extension pages (popup, prompt). */
export const PAGE_PORT_NAME = 'omnipeer-page';
export const UI_PORT_NAME = 'omnipeer-ui';

/** Largest pubsub payload a page may publish: 1 MiB, the libp2p pubsub default max message size. */
export const MAX_PUBLISH_BYTES = 1024 * 1024;
/** Longest request id / subscription id string accepted (a UUID is 36). */
export const MAX_ID_LENGTH = 64;
const MAX_METHOD_LENGTH = 64;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Methods a page may call, with a validator that returns the params to forward. */
const PAGE_METHODS = {
  'node.info': () => ({}),
  'peers.list': () => ({}),
  'grants.list': () => ({}),
  'pubsub.subscribe': (params) => ({ topic: topicParam(params) }),
  'pubsub.unsubscribe': (params) => ({ subscription: idParam(params, 'subscription') }),
  'pubsub.publish': (params) => ({ topic: topicParam(params), data: dataParam(params) }),
  // Answered by the service worker itself (never reaches the daemon): the baseline of the bridge-latency bench.
  'bridge.echo': (params) => ({ data: params.data === undefined ? '' : dataParam(params) }),
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
const USER_ONLY_METHODS = new Set(['grants.add', 'grants.revoke', 'peers.connect', 'peers.ping']);

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

function dataParam(params) {
  const data = params.data;
  if (typeof data !== 'string' || data.length % 4 !== 0 || !BASE64.test(data)) {
    throw rpcError(INVALID_PARAMS, 'data must be standard padded base64');
  }
  if (base64DecodedLength(data) > MAX_PUBLISH_BYTES) {
    throw rpcError(INVALID_PARAMS, `data exceeds ${MAX_PUBLISH_BYTES} bytes`);
  }
  return data;
}

function isRequestId(id) {
  return Number.isSafeInteger(id) || (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH);
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
