/**
 * Plain-text formatting for the popup: byte counts, rates and grant expiry, in binary units
 * (KiB = 1024 bytes, matching the daemon's KiB/s limits). Pure functions.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` → "1.5 KiB"; whole numbers below 1 KiB; one decimal below 100 of a unit. */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** Bytes per second as "12.5 KiB/s". */
export function formatRate(bytesPerSecond) {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** A KiB/s limit: "unlimited" for 0. */
export function formatLimit(kibps) {
  return kibps > 0 ? formatRate(kibps * 1024) : 'unlimited';
}

/**
 * How long a grant lasts: "until revoked" (no expiry), "until the page closes (at most until 14:05)"
 * for an allow-once grant, or "expired".
 * @param {number|null|undefined} expiresAt epoch ms
 * @param {number} now epoch ms
 * @param {(ms:number) => string} [clock] formats a time of day
 */
export function formatExpiry(expiresAt, now, clock = defaultClock) {
  if (!Number.isFinite(expiresAt)) return 'until revoked';
  if (expiresAt <= now) return 'expired';
  return `until the page closes (at most until ${clock(expiresAt)})`;
}

function defaultClock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
