/**
 * Shows a page's desktop notification (`p2p.notifications.show`) once the daemon allowed it: the daemon
 * checks the `notifications` grant and the rate (10 per minute per origin or app) and bounds the text;
 * this module only displays it, naming the page's origin so a page cannot pose as another.
 * Works with `chrome.notifications` (Chromium) and Firefox's compatible `chrome.notifications`.
 * Spec: API.md "apps platform" (notifications). Single-threaded.
 */

/** Icon shown on every notification (bundled; a page cannot choose one, so it cannot load a tracker). */
export const NOTIFICATION_ICON = 'icons/icon-128.png';

/**
 * @param {{create: Function}} api chrome.notifications (or a stand-in in tests)
 * @param {(path: string) => string} url chrome.runtime.getURL
 * @param {{origin: string, title: string, body?: string}} notification
 * @returns {Promise<string>} the notification id
 * @throws {Error} when the browser refuses to show it
 */
export async function showNotification(api, url, { origin, title, body }) {
  const options = {
    type: 'basic',
    iconUrl: url(NOTIFICATION_ICON),
    title,
    message: body ?? '',
    contextMessage: origin,
  };
  const id = await api.create(`omnipeer-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`, options);
  if (typeof id !== 'string') throw new Error('the browser did not show the notification');
  return id;
}
