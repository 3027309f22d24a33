/**
 * Capabilities a page can be granted, and which one each page method needs.
 * Spec: API.md "Capabilities" and "apps platform"; shared-protocol `Capability`:
 *
 * | text                | grants                                                        |
 * |---------------------|---------------------------------------------------------------|
 * | `pubsub:<topic>`    | subscribe and publish on exactly that topic                   |
 * | `stream:<protocol>` | open and handle streams of exactly that protocol              |
 * | `dht:<key-prefix>`  | get and put DHT values whose key starts with the prefix       |
 * | `storage`           | the caller's own key-value storage, within its quota          |
 * | `peers:read`        | read the node's connected peers                               |
 * | `notifications`     | show desktop notifications through the extension              |
 *
 * A capability grants only what it names; an empty caveat grants nothing (DESIGN.md, grants).
 * The daemon namespaces protocols, DHT keys and storage under `/omnipeer/app/<ns>/`.
 */

/** Longest capability string accepted, caveat included (shared-protocol Capability.MAX_LENGTH). */
export const MAX_CAPABILITY_LENGTH = 512;
/** Most capabilities one requestAccess call may ask for: a prompt must stay readable. */
export const MAX_CAPABILITIES_PER_REQUEST = 16;

const PUBSUB_PREFIX = 'pubsub:';
const STREAM_PREFIX = 'stream:';
const DHT_PREFIX = 'dht:';
const BARE_KINDS = new Set(['storage', 'notifications', 'peers:read']);
// Control characters would let a caveat hide or fake text in the prompt (the daemon refuses ISO
// controls too; line/paragraph separators are refused here as well).
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// A protocol name travels inside a multistream-select line: no whitespace at all.
const WHITESPACE = /\s/;

function isValidCaveat(text, prefix) {
  return typeof text === 'string' && text.length > 0
    && text.length <= MAX_CAPABILITY_LENGTH - prefix.length
    && !CONTROL_CHARACTERS.test(text);
}

/** A pubsub topic the extension accepts: 1..(MAX_CAPABILITY_LENGTH - 7) chars, no control characters. */
export function isValidTopic(topic) {
  return isValidCaveat(topic, PUBSUB_PREFIX);
}

/** Longest stream protocol name, in characters (common.schema.json#/$defs/streamProtocol). */
export const MAX_PROTOCOL_LENGTH = 256;

/** A stream protocol name (short, namespaced by the daemon): 1..256 chars, no control characters, no whitespace. */
export function isValidProtocol(protocol) {
  return isValidCaveat(protocol, STREAM_PREFIX) && protocol.length <= MAX_PROTOCOL_LENGTH && !WHITESPACE.test(protocol);
}

/** A DHT key or key prefix: 1..508 chars, no control characters. */
export function isValidDhtKey(key) {
  return isValidCaveat(key, DHT_PREFIX);
}

/**
 * Parses a capability string.
 * @returns {{kind:'pubsub', topic:string} | {kind:'stream', protocol:string} | {kind:'dht', prefix:string}
 *   | {kind:'storage'} | {kind:'notifications'} | {kind:'peers:read'} | null} null when unknown or malformed
 */
export function parseCapability(capability) {
  if (typeof capability !== 'string' || capability.length > MAX_CAPABILITY_LENGTH) return null;
  if (BARE_KINDS.has(capability)) return { kind: capability };
  if (capability.startsWith(PUBSUB_PREFIX)) {
    const topic = capability.slice(PUBSUB_PREFIX.length);
    return isValidTopic(topic) ? { kind: 'pubsub', topic } : null;
  }
  if (capability.startsWith(STREAM_PREFIX)) {
    const protocol = capability.slice(STREAM_PREFIX.length);
    return isValidProtocol(protocol) ? { kind: 'stream', protocol } : null;
  }
  if (capability.startsWith(DHT_PREFIX)) {
    const prefix = capability.slice(DHT_PREFIX.length);
    return isValidDhtKey(prefix) ? { kind: 'dht', prefix } : null;
  }
  return null;
}

/** The capability string for a pubsub topic. */
export function pubsubCapability(topic) {
  return PUBSUB_PREFIX + topic;
}

/** The capability string for a stream protocol. */
export function streamCapability(protocol) {
  return STREAM_PREFIX + protocol;
}

/**
 * Validates the list a page passes to requestAccess.
 * @returns {{ok:true, capabilities:string[]} | {ok:false, reason:string}} duplicates removed, order kept
 */
export function parseCapabilityList(list) {
  if (!Array.isArray(list) || list.length === 0) {
    return { ok: false, reason: 'capabilities must be a non-empty array of strings' };
  }
  if (list.length > MAX_CAPABILITIES_PER_REQUEST) {
    return { ok: false, reason: `at most ${MAX_CAPABILITIES_PER_REQUEST} capabilities per request` };
  }
  for (const capability of list) {
    if (parseCapability(capability) === null) {
      return { ok: false, reason: `unknown or malformed capability: ${String(capability).slice(0, 64)}` };
    }
  }
  return { ok: true, capabilities: [...new Set(list)] };
}

/** Plain words for the permission prompt and the popup. */
export function describeCapability(capability) {
  const parsed = parseCapability(capability);
  if (parsed === null) return `Unknown permission "${String(capability).slice(0, 64)}"`;
  switch (parsed.kind) {
    case 'peers:read': return 'See which peers your node is connected to';
    case 'storage': return 'Store data on this computer, within its storage quota';
    case 'notifications': return 'Show desktop notifications';
    case 'stream': return `Open direct connections to other peers, and accept theirs, for "${parsed.protocol}"`;
    case 'dht': return `Read and publish records in the shared peer-to-peer directory under "${parsed.prefix}"`;
    default: return `Send and receive messages on the topic "${parsed.topic}"`;
  }
}

/** Marker for methods that need some grant, whatever it is (API.md: node.info). */
export const ANY_GRANT = Symbol('any grant');

/**
 * Which capability a page method needs, per API.md: `pubsub.*` needs `pubsub:<topic>`, `streams.open`
 * and `streams.handle` need `stream:<protocol>`, `storage.*` needs `storage`, `dht.get`/`dht.put`
 * need a `dht:<prefix>` whose prefix starts the key, peers.list needs `peers:read`, notifications.show
 * needs `notifications`, node.info needs any grant.
 * Methods on an existing stream or handler are checked by ownership in the service worker instead.
 * @returns {string | {dhtKey:string} | typeof ANY_GRANT | null} null when the method needs no grant
 */
export function requiredCapability(method, params) {
  switch (method) {
    case 'pubsub.subscribe':
    case 'pubsub.publish':
      return pubsubCapability(params.topic);
    case 'streams.open':
    case 'streams.handle':
      return streamCapability(params.protocol);
    case 'storage.get':
    case 'storage.put':
    case 'storage.delete':
    case 'storage.list':
      return 'storage';
    case 'dht.get':
    case 'dht.put':
      return { dhtKey: params.key };
    case 'peers.list':
      return 'peers:read';
    case 'notifications.show':
      return 'notifications';
    case 'node.info':
      return ANY_GRANT;
    default:
      return null;
  }
}

/** True when `granted` (capability strings held by the origin) satisfies `required`. */
export function isAllowed(required, granted) {
  if (required === null) return true;
  if (required === ANY_GRANT) return granted.length > 0;
  if (typeof required === 'object') {
    return granted.some((capability) => {
      const parsed = parseCapability(capability);
      return parsed?.kind === 'dht' && required.dhtKey.startsWith(parsed.prefix);
    });
  }
  return granted.includes(required);
}

/** How to name a required capability in a 4100 message. */
export function describeRequirement(required) {
  if (required === ANY_GRANT) return 'any permission';
  if (typeof required === 'object') return `a "dht:" permission covering the key "${required.dhtKey.slice(0, 64)}"`;
  return `the permission "${required}"`;
}
