/**
 * What the extension's own views (popup, prompt) may ask the daemon through the service worker:
 * the user's own requests, sent without origin (privileged on the control socket). Every call's
 * params are rebuilt from validated fields, as for pages (STYLE.md #11): the views are ours, but a
 * compromised or buggy view must still not reach methods the popup has no use for.
 * Spec: API.md "control / bridge protocol", "apps platform", "resource manager".
 */
import { INVALID_PARAMS, rpcError } from './errors.js';

/** Longest app id accepted (reverse-DNS). */
export const MAX_APP_ID_LENGTH = 256;
/** Largest signed manifest file the popup installs, in JSON characters. */
export const MAX_MANIFEST_CHARS = 512 * 1024;
/** Highest bandwidth limit the settings accept, KiB/s (common.schema.json#/$defs/kibps). */
export const MAX_KIBPS = 10_000_000;

/** Daemon methods the views call, each with the validator that rebuilds its params. */
const FORWARDED = {
  'node.info': () => ({}),
  'peers.list': () => ({}),
  'grants.list': () => ({}),
  'apps.list': () => ({}),
  'apps.usage': () => ({}),
  'settings.get': () => ({}),
  'apps.info': (params) => ({ id: appId(params) }),
  'apps.enable': (params) => ({ id: appId(params) }),
  'apps.disable': (params) => ({ id: appId(params) }),
  'apps.remove': (params) => ({ id: appId(params), purge: params.purge === true }),
  'apps.install': (params) => ({ manifest: signedManifest(params.manifest) }),
  'settings.set': (params) => ({ settings: bandwidthSettings(params.settings) }),
};

/**
 * Validates a view's call to a daemon method.
 * @returns {object | null} the params to forward, or null when `method` is not one the views forward
 * @throws {{code,message}} -32602 for bad params
 */
export function forwardedUiParams(method, params) {
  if (typeof method !== 'string' || !Object.hasOwn(FORWARDED, method)) return null;
  return FORWARDED[method](params !== null && typeof params === 'object' ? params : {});
}

/** `grants.revoke` from the popup: `{origin, capability?}` (origin = principal as grants.list shows it). */
export function revokeParams(params) {
  if (typeof params?.origin !== 'string' || params.origin.length === 0 || params.origin.length > 2048) {
    throw rpcError(INVALID_PARAMS, 'origin must be a non-empty string');
  }
  const revoke = { origin: params.origin };
  if (typeof params.capability === 'string') revoke.capability = params.capability;
  return revoke;
}

function appId(params) {
  const id = params.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_APP_ID_LENGTH) {
    throw rpcError(INVALID_PARAMS, 'id must be an app id');
  }
  return id;
}

/**
 * A signed manifest file's content: `{manifest: {...}, signature: base64}`. The daemon checks the
 * schema and the signature; here only the outer shape and the size.
 */
function signedManifest(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)
    || value.manifest === null || typeof value.manifest !== 'object' || typeof value.signature !== 'string') {
    throw rpcError(INVALID_PARAMS, 'not a signed app manifest: expected {"manifest": {...}, "signature": "..."}');
  }
  if (JSON.stringify(value).length > MAX_MANIFEST_CHARS) {
    throw rpcError(INVALID_PARAMS, `manifest file larger than ${MAX_MANIFEST_CHARS} characters`);
  }
  return value;
}

function bandwidthSettings(settings) {
  const out = {};
  for (const name of ['bandwidthInKiBps', 'bandwidthOutKiBps']) {
    const value = settings?.[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0 || value > MAX_KIBPS) {
      throw rpcError(INVALID_PARAMS, `${name} must be a whole number of KiB/s from 0 (unlimited) to ${MAX_KIBPS}`);
    }
    out[name] = value;
  }
  if (Object.keys(out).length === 0) throw rpcError(INVALID_PARAMS, 'nothing to change');
  return out;
}
