/**
 * Capabilities a page can be granted, and which one each page method needs.
 * Spec: API.md "Capabilities": `pubsub:<topic>` (exact topic), `peers:read`.
 * A capability grants only what it names; an empty topic grants nothing (DESIGN.md, grants).
 */

/** Longest capability string accepted, topic included (shared-protocol Capability.MAX_LENGTH). */
export const MAX_CAPABILITY_LENGTH = 512;
/** Most capabilities one requestAccess call may ask for: a prompt must stay readable. */
export const MAX_CAPABILITIES_PER_REQUEST = 16;

const PUBSUB_PREFIX = 'pubsub:';
// Control characters would let a topic name hide or fake text in the prompt (the daemon refuses ISO
// controls too; line/paragraph separators are refused here as well).
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A pubsub topic the extension accepts: 1..(MAX_CAPABILITY_LENGTH - 7) chars, no control characters. */
export function isValidTopic(topic) {
  return typeof topic === 'string' && topic.length > 0
    && topic.length <= MAX_CAPABILITY_LENGTH - PUBSUB_PREFIX.length
    && !CONTROL_CHARACTERS.test(topic);
}

/**
 * Parses a capability string.
 * @returns {{kind:'pubsub', topic:string} | {kind:'peers:read'} | null} null when unknown or malformed
 */
export function parseCapability(capability) {
  if (typeof capability !== 'string' || capability.length > MAX_CAPABILITY_LENGTH) return null;
  if (capability === 'peers:read') return { kind: 'peers:read' };
  if (capability.startsWith(PUBSUB_PREFIX)) {
    const topic = capability.slice(PUBSUB_PREFIX.length);
    return isValidTopic(topic) ? { kind: 'pubsub', topic } : null;
  }
  return null;
}

/** The capability string for a pubsub topic. */
export function pubsubCapability(topic) {
  return PUBSUB_PREFIX + topic;
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
  if (parsed.kind === 'peers:read') return 'See which peers your node is connected to';
  return `Send and receive messages on the topic "${parsed.topic}"`;
}

/** Marker for methods that need some grant, whatever it is (API.md: node.info, peers.list). */
export const ANY_GRANT = Symbol('any grant');

/**
 * Which capability a page method needs, per API.md: `pubsub.*` needs `pubsub:<topic>`,
 * node.info and peers.list need any grant for the origin.
 * @returns {string | typeof ANY_GRANT | null} null when the method needs no grant
 */
export function requiredCapability(method, params) {
  switch (method) {
    case 'pubsub.subscribe':
    case 'pubsub.publish':
      return pubsubCapability(params.topic);
    case 'node.info':
    case 'peers.list':
      return ANY_GRANT;
    default:
      return null;
  }
}

/** True when `granted` (capability strings held by the origin) satisfies `required`. */
export function isAllowed(required, granted) {
  if (required === null) return true;
  if (required === ANY_GRANT) return granted.length > 0;
  return granted.includes(required);
}
