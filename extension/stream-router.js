/**
 * The service worker's side of `p2p.streams`: forwards a page's stream calls to the daemon only for
 * streams and handlers that page owns, delivers `streams.incoming/data/closed` notifications to the
 * owning page, and resets or unhandles what a page leaves behind or loses by revocation.
 * Page events: `streamIncoming {handler, stream, peerId, protocol}`, `streamData {stream, data}`,
 * `streamClosed {stream}` (remote FIN) or `{stream, reason, code}` (gone: 4100 revoked, 4900 reset or
 * disconnected), `handlerClosed {handler, reason}`.
 * Spec: API.md "apps platform" (streams.*). Single-threaded (service worker event loop).
 */
import { DISCONNECTED, INVALID_PARAMS, RESOURCE_LIMIT, UNAUTHORIZED, rpcError } from './errors.js';
import { MAX_ID_LENGTH, toHostParams } from './messages.js';
import { MAX_HANDLERS_PER_PAGE, MAX_STREAMS_PER_PAGE, StreamTable } from './page-streams.js';

const REVOKED_REASON = 'permission revoked';
const GONE_REASON = 'the Omnipeer daemon went away';

export class StreamRouter {
  #table = new StreamTable();
  #host;
  #post;
  #isLive;

  /**
   * @param {object} deps
   * @param {{request:Function, connected:boolean}} deps.host the HostPort
   * @param {(port:object, message:object) => void} deps.post posts to a page's port, ignoring closed ports
   * @param {(page:object) => boolean} deps.isLive whether the page is still connected
   */
  constructor({ host, post, isLive }) {
    this.#host = host;
    this.#post = post;
    this.#isLive = isLive;
  }

  /** True when the page holds an open stream. */
  hasStreams(page) {
    return this.#table.streamCount(page) > 0;
  }

  /** @throws 4290 when opening or handling one more would pass the per-page bound */
  checkLimits(page, method) {
    if (method === 'streams.open' && this.#table.streamCount(page) >= MAX_STREAMS_PER_PAGE) {
      throw rpcError(RESOURCE_LIMIT, `at most ${MAX_STREAMS_PER_PAGE} open streams per page`);
    }
    if (method === 'streams.handle' && this.#table.handlerCount(page) >= MAX_HANDLERS_PER_PAGE) {
      throw rpcError(RESOURCE_LIMIT, `at most ${MAX_HANDLERS_PER_PAGE} stream handlers per page`);
    }
  }

  /** streams.write/close/reset/unhandle: only on the page's own stream or handler. */
  async forwardOwn(page, request) {
    const { method, params } = request;
    if (method === 'streams.unhandle') {
      if (!this.#table.ownsHandler(page, params.handler)) throw rpcError(INVALID_PARAMS, 'no such handler on this page');
      this.#table.removeHandler(params.handler);
      return this.#host.request(method, toHostParams(request, page.origin));
    }
    if (!this.#table.ownsStream(page, params.stream)) throw rpcError(INVALID_PARAMS, 'no such stream on this page');
    if (method === 'streams.reset') this.#table.removeStream(params.stream);
    const result = await this.#host.request(method, toHostParams(request, page.origin));
    if (method === 'streams.close') this.#table.ended(params.stream, 'local');
    return result;
  }

  /** The daemon answered streams.open `{stream}` or streams.handle `{handler}` for the page. */
  opened(page, method, params, result) {
    const id = method === 'streams.open' ? result?.stream : result?.handler;
    if (typeof id !== 'string' || id.length > MAX_ID_LENGTH) return;
    const live = this.#isLive(page);
    if (method === 'streams.open') {
      if (live) this.#table.addStream(page, id, { protocol: params.protocol, peerId: params.peerId });
      else this.#host.request('streams.reset', { stream: id, origin: page.origin }).catch(() => {});
    } else if (live) {
      this.#table.addHandler(page, id, params.protocol);
    } else {
      this.#host.request('streams.unhandle', { handler: id, origin: page.origin }).catch(() => {});
    }
  }

  /** Notification streams.incoming: a remote peer opened a stream to a page's handler; the page owns it now. */
  incoming({ handler, stream, peerId }) {
    if (typeof stream !== 'string' || stream.length > MAX_ID_LENGTH) return;
    const owner = this.#table.handler(handler);
    if (owner === undefined || !this.#isLive(owner.page)) {
      this.#host.request('streams.reset', { stream }).catch(() => {});
      return;
    }
    this.#table.addStream(owner.page, stream, { protocol: owner.protocol, peerId });
    this.#post(owner.page.port, { event: 'streamIncoming', data: { handler, stream, peerId, protocol: owner.protocol } });
  }

  /** Notification streams.data. */
  data({ stream, data }) {
    const entry = this.#table.stream(stream);
    if (entry !== undefined && typeof data === 'string') this.#post(entry.page.port, { event: 'streamData', data: { stream, data } });
  }

  /** Notification streams.closed: remote FIN (no reason; the page may still write) or gone for good. */
  closed({ stream, reason }) {
    const entry = this.#table.stream(stream);
    if (entry === undefined) return;
    if (typeof reason !== 'string') {
      this.#table.ended(stream, 'remote');
      this.#post(entry.page.port, { event: 'streamClosed', data: { stream } });
      return;
    }
    this.#table.removeStream(stream);
    const code = /revoked|grant|unauthori[sz]ed/i.test(reason) ? UNAUTHORIZED : DISCONNECTED;
    this.#post(entry.page.port, { event: 'streamClosed', data: { stream, reason, code } });
  }

  /** The page went away: reset its streams and drop its handlers in the daemon. */
  pageGone(page) {
    const held = this.#table.take(page);
    if (!this.#host.connected) return;
    for (const stream of held.streams) this.#host.request('streams.reset', { stream, origin: page.origin }).catch(() => {});
    for (const handler of held.handlers) this.#host.request('streams.unhandle', { handler, origin: page.origin }).catch(() => {});
  }

  /** The user revoked `capability` (or everything when undefined) of the page's principal. */
  revoke(page, capability) {
    this.#stop(page, this.#table.take(page, capability));
  }

  /** Grants changed: stop what the page's capabilities (`held`) no longer cover. */
  keepOnly(page, held) {
    this.#stop(page, this.#table.takeUngranted(page, held));
  }

  /** The daemon connection closed: every stream and handler is gone. */
  disconnected() {
    for (const [page, held] of this.#table.clear()) {
      for (const stream of held.streams) {
        this.#post(page.port, { event: 'streamClosed', data: { stream, reason: GONE_REASON, code: DISCONNECTED } });
      }
      for (const handler of held.handlers) this.#post(page.port, { event: 'handlerClosed', data: { handler, reason: GONE_REASON } });
    }
  }

  #stop(page, { streams, handlers }) {
    for (const stream of streams) {
      this.#post(page.port, { event: 'streamClosed', data: { stream, reason: REVOKED_REASON, code: UNAUTHORIZED } });
      if (this.#host.connected) this.#host.request('streams.reset', { stream }).catch(() => {});
    }
    for (const handler of handlers) {
      this.#post(page.port, { event: 'handlerClosed', data: { handler, reason: REVOKED_REASON } });
      if (this.#host.connected) this.#host.request('streams.unhandle', { handler }).catch(() => {});
    }
  }
}
