/**
 * Numbered errors shared by window.p2p, the service worker and the daemon.
 * Spec: API.md "control / bridge protocol" (EIP-1193 style codes, JSON-RPC 2.0 codes).
 * An error travels as a plain `{code, message, data?}` object; the page turns it into a P2PError.
 */
export const USER_REJECTED = 4001;
export const UNAUTHORIZED = 4100;
export const UNSUPPORTED_METHOD = 4200;
export const RESOURCE_LIMIT = 4290;
export const DISCONNECTED = 4900;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;
export const INTERNAL = -32603;

/** Builds the wire shape of an error; `data` is left out when undefined. */
export function rpcError(code, message, data) {
  const error = { code, message };
  if (data !== undefined) error.data = data;
  return error;
}

/** True for a `{code: integer, message: string}` object, the only error shape that may reach a page. */
export function isRpcError(value) {
  return value !== null && typeof value === 'object'
    && Number.isInteger(value.code) && typeof value.message === 'string';
}

/**
 * Maps anything thrown inside the extension to a wire error: RPC errors pass through,
 * everything else becomes -32603 without a stack trace (STYLE.md #9).
 */
export function toRpcError(thrown) {
  if (isRpcError(thrown)) return rpcError(thrown.code, thrown.message, thrown.data);
  return rpcError(INTERNAL, 'Internal error in the Omnipeer extension');
}
