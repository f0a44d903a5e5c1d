import { Emitter } from './emitter.js';
import { ParleyError, SignedOutError } from './errors.js';
import { backoffDelay, sleep } from './util.js';

/** @typedef {import('./client.js').ParleyClient} ParleyClient */
/** @typedef {import('./types.js').KeyValueStorage} KeyValueStorage */
/** @typedef {import('./types.js').ServerEvent} ServerEvent */
/** @typedef {import('./types.js').Message} Message */
/** @typedef {import('./types.js').WebSocketConstructor} WebSocketConstructor */

/**
 * - `idle`: not started; `connecting`: opening the socket (or waiting to, after a failure);
 * - `syncing`: the socket is open and the missed events are being fetched; `online`: caught up, live;
 * - `offline`: no connection, retrying with backoff; `stopped`: stopped by the app;
 * - `signedOut`: access revoked (close 4003) or the token could not be refreshed: sign in again.
 * @typedef {'idle' | 'connecting' | 'syncing' | 'online' | 'offline' | 'stopped' | 'signedOut'} ConnectionState
 */

/**
 * @typedef {object} ConnectionEvents
 * @property {{state: ConnectionState, previous: ConnectionState, code?: number, retryInMs?: number}} state
 * @property {ServerEvent & {source: 'live' | 'sync'}} event an event of the contract (`message.new`, ...)
 * @property {{fresh: boolean}} reset the cursor was unknown or expired: reload conversations and history
 * @property {{events: number}} caughtUp catch-up after a (re)connect finished; `online` follows
 * @property {{client_message_id: string, message: Message}} ack
 * @property {{error: ParleyError, client_message_id: string | null}} frameError an `error` frame
 * @property {{code: number, reason: string}} closed the socket closed (the state says what happens next)
 */

const CURSOR_KEY = 'cursor';

/**
 * The real-time connection: one WebSocket, reopened with exponential backoff and jitter; a new token on `4001`;
 * stopped for good on `4003`. After every (re)connect it catches up with `GET /sync` from the persisted cursor
 * before delivering live events, so the app sees every event, in order, possibly twice (consumers are
 * idempotent; the {@link ChatStore} is). It sends presence heartbeats and its own pings to notice a dead link.
 *
 * @extends {Emitter<ConnectionEvents>}
 */
export class RealtimeConnection extends Emitter {
  /**
   * @param {object} options
   * @param {ParleyClient} options.client
   * @param {KeyValueStorage} options.storage where the cursor is kept (per user: pass a scoped storage)
   * @param {WebSocketConstructor} [options.WebSocket] default `globalThis.WebSocket` (Node 20: pass `ws`)
   * @param {number} [options.heartbeatMs] presence heartbeat period, 30-60 s (default 45 s)
   * @param {number} [options.pingMs] a `ping` frame this often; no `pong` within `pongTimeoutMs` closes the link
   * @param {number} [options.pongTimeoutMs]
   * @param {{initial?: number, max?: number}} [options.backoff] milliseconds
   * @param {boolean} [options.fastForwardWhenFresh] with no cursor, skip the kept history and emit `reset`
   *   (the app loads conversations and history itself) rather than replaying every kept event (default true)
   */
  constructor({ client, storage, WebSocket: WebSocketImpl, heartbeatMs = 45_000, pingMs = 25_000,
    pongTimeoutMs = 10_000, backoff = {}, fastForwardWhenFresh = true }) {
    super();
    const impl = WebSocketImpl ?? /** @type {WebSocketConstructor | undefined} */ (globalThis.WebSocket);
    if (!impl) {
      throw new TypeError('No WebSocket here: pass one (in Node 20, the ws package)');
    }
    this._client = client;
    this._storage = storage;
    this._WebSocket = impl;
    this._heartbeatMs = heartbeatMs;
    this._pingMs = pingMs;
    this._pongTimeoutMs = pongTimeoutMs;
    this._backoff = backoff;
    this._fastForward = fastForwardWhenFresh;
    /** @type {ConnectionState} */
    this._state = 'idle';
    /** @type {WebSocket | null} */
    this._ws = null;
    /** @type {string | null} */
    this._cursor = null;
    /** Caught up at least once (from the log's start, or fast-forwarded): a null cursor then means "from the start". */
    this._primed = false;
    this._attempt = 0;
    /** @type {ServerEvent[] | null} live events held back while catching up */
    this._held = null;
    /** @type {'online' | 'away'} */
    this._presence = 'online';
    /** @type {AbortController | null} */
    this._run = null;
    /** @type {(() => void) | null} wakes a backoff wait (the browser came back online) */
    this._wake = null;
    this._timers = /** @type {ReturnType<typeof setInterval>[]} */ ([]);
    /** @type {((closed: {code: number, reason: string}) => void) | undefined} */
    this._resolveClose = undefined;
    this._lastHeard = 0;
    this._onOnline = () => this._wake?.();
    this._onOffline = () => this._ws && this._drop(this._ws, 1006, 'browser offline');
  }

  /** @returns {ConnectionState} */
  get state() {
    return this._state;
  }

  /** The cursor after the last event caught up, as persisted. */
  get cursor() {
    return this._cursor;
  }

  /** Connects, and keeps connecting until {@link stop} or a revoked session. */
  async start() {
    if (this._run) {
      return;
    }
    const saved = await this._storage.get(CURSOR_KEY);
    this._primed = saved !== null && typeof saved === 'object';
    this._cursor = this._primed ? saved.since ?? null : null;
    this._run = new AbortController();
    globalThis.addEventListener?.('online', this._onOnline);
    globalThis.addEventListener?.('offline', this._onOffline);
    void this._loop(this._run.signal);
  }

  /** Closes the socket and stops reconnecting. */
  stop() {
    this._shutdown('stopped');
  }

  /**
   * Sends a client frame when the socket is open.
   * @param {string} type
   * @param {object} [data]
   * @returns {boolean} false when there is no open socket (nothing was sent)
   */
  send(type, data = {}) {
    const ws = this._ws;
    if (!ws || ws.readyState !== 1 || (this._state !== 'online' && this._state !== 'syncing')) {
      return false;
    }
    try {
      ws.send(JSON.stringify({ type, data }));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Tells the server whether this device is in use (`away` when the app is hidden); sent at once and with every
   * heartbeat.
   * @param {'online' | 'away'} status
   */
  setPresence(status) {
    if (status !== this._presence) {
      this._presence = status;
      this.send('presence.heartbeat', { status });
    }
  }

  /** Forgets the cursor (say, after signing out), so the next start begins afresh. */
  async clearCursor() {
    this._cursor = null;
    this._primed = false;
    await this._storage.remove(CURSOR_KEY);
  }

  /** @param {AbortSignal} signal */
  async _loop(signal) {
    while (!signal.aborted) {
      const outcome = await this._connectOnce(signal);
      if (signal.aborted || outcome === 'stop') {
        return;
      }
      if (outcome === 'now') {
        continue;
      }
      const delay = backoffDelay(this._attempt++, this._backoff);
      this._setState('offline', { retryInMs: delay });
      await new Promise((resolve) => {
        this._wake = () => resolve(undefined);
        void sleep(delay, signal).then(() => resolve(undefined));
      });
      this._wake = null;
    }
  }

  /**
   * One connection, from opening to closing.
   * @param {AbortSignal} signal
   * @returns {Promise<'stop' | 'now' | 'later'>} what to do next: give up, reconnect at once, or back off
   */
  async _connectOnce(signal) {
    this._setState('connecting');
    let token;
    try {
      token = await this._client.accessToken();
    } catch (error) {
      return this._signedOutOr(error, 'later');
    }
    const url = new URL(this._client.baseUrl + '/api/v1/ws');
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('access_token', token);
    /** @type {WebSocket} */
    let ws;
    try {
      ws = new this._WebSocket(url.toString());
    } catch {
      return 'later';
    }
    this._ws = ws;
    let opened = false;
    let openedAt = 0;
    // A handshake into a black hole (no refusal, no answer) must not wait for the operating system's timeout.
    const handshake = setTimeout(() => opened || this._drop(ws, 1006, 'handshake timed out'), 15_000);
    /** @type {{code: number, reason: string}} */
    const closed = await new Promise((resolve) => {
      this._resolveClose = resolve;
      ws.onopen = () => {
        opened = true;
        openedAt = Date.now();
        void this._onOpen(ws, signal);
      };
      ws.onmessage = (event) => this._onFrame(ws, event.data);
      ws.onerror = () => {
        // Always followed by a close; the close decides.
      };
      ws.onclose = (event) => this._drop(ws, event.code, event.reason);
    });
    clearTimeout(handshake);
    this.emit('closed', closed);
    if (signal.aborted) {
      return 'stop';
    }
    switch (closed.code) {
      case 4003:
        // Access revoked (logout elsewhere, suspension, deletion): this token and its refresh token are dead.
        await this._client.forgetSession('revoked');
        this._shutdown('signedOut', closed.code);
        return 'stop';
      case 4001:
        // The token the socket was opened with expired: a new one, then straight back (and catch up).
        try {
          await this._client.refresh();
          // At once, unless a fresh token was refused at once too (clocks apart): then back off like any failure.
          return Date.now() - openedAt > 5000 ? 'now' : 'later';
        } catch (error) {
          return this._signedOutOr(error, 'later');
        }
      default:
        if (!opened) {
          // A refused handshake says nothing to a browser; ask the API whether the token is the reason (a 401
          // there refreshes it, or ends the session when that fails).
          try {
            await this._client.me();
          } catch (error) {
            return this._signedOutOr(error, 'later');
          }
        }
        return 'later';
    }
  }

  /**
   * @param {unknown} error
   * @param {'stop' | 'now' | 'later'} otherwise
   * @returns {'stop' | 'now' | 'later'}
   */
  _signedOutOr(error, otherwise) {
    if (error instanceof SignedOutError) {
      this._shutdown('signedOut');
      return 'stop';
    }
    return otherwise;
  }

  /**
   * The socket is open: catch up from the cursor, then go live.
   * @param {WebSocket} ws
   * @param {AbortSignal} signal
   */
  async _onOpen(ws, signal) {
    this._held = [];
    this._setState('syncing');
    this._startTimers(ws);
    this.send('presence.heartbeat', { status: this._presence });
    try {
      const count = await this._catchUp(signal, () => this._ws !== ws);
      if (this._ws !== ws || signal.aborted) {
        return;
      }
      this._attempt = 0;
      this.emit('caughtUp', { events: count });
      const held = this._held ?? [];
      this._held = null;
      for (const event of held) {
        this.emit('event', { ...event, source: 'live' });
      }
      this._setState('online');
    } catch (error) {
      if (error instanceof SignedOutError) {
        this._shutdown('signedOut');
      } else if (this._ws === ws) {
        // Could not catch up (server or network trouble): drop this socket and retry with backoff.
        this._drop(ws, 1006, 'catch-up failed');
      }
    }
  }

  /**
   * Pages through `GET /sync` until nothing is left, delivering each event and persisting the cursor after each
   * page. Without a cursor (a fresh device), skips the kept history and emits `reset` instead.
   * @param {AbortSignal} signal
   * @param {() => boolean} abandoned
   * @returns {Promise<number>} events delivered
   */
  async _catchUp(signal, abandoned) {
    // A user with no events yet gets no cursor from the fast-forward: "primed" remembers that the next catch-up
    // must start from the log's beginning rather than skip it again.
    const fresh = !this._primed && this._fastForward;
    let delivered = 0;
    for (;;) {
      let page;
      try {
        page = await this._client.sync({ since: this._cursor, limit: 500 });
      } catch (error) {
        if (error instanceof ParleyError && error.code === 'VALIDATION_FAILED' && this._primed) {
          // The cursor is unknown or older than the server keeps events: start over from the current state.
          await this.clearCursor();
          this.emit('reset', { fresh: false });
          return this._catchUp(signal, abandoned);
        }
        throw error;
      }
      if (signal.aborted || abandoned()) {
        return delivered;
      }
      if (!fresh) {
        for (const event of page.events) {
          this.emit('event', { ...event, source: 'sync' });
          delivered++;
        }
      }
      this._cursor = page.next_cursor ?? this._cursor;
      if (!page.has_more) {
        break;
      }
      await this._storage.set(CURSOR_KEY, { since: this._cursor });
    }
    this._primed = true;
    await this._storage.set(CURSOR_KEY, { since: this._cursor });
    if (fresh) {
      this.emit('reset', { fresh: true });
    }
    return delivered;
  }

  /**
   * @param {WebSocket} ws
   * @param {any} raw
   */
  _onFrame(ws, raw) {
    if (ws !== this._ws) {
      return;
    }
    this._lastHeard = Date.now();
    /** @type {ServerEvent} */
    let frame;
    try {
      frame = JSON.parse(typeof raw === 'string' ? raw : String(raw));
    } catch {
      return;
    }
    switch (frame.type) {
      case 'pong':
        return;
      case 'message.ack':
        this.emit('ack', frame.data);
        return;
      case 'error': {
        const data = frame.data ?? {};
        const retryAfter = typeof data.details?.retry_after === 'number' ? data.details.retry_after : null;
        this.emit('frameError', {
          error: new ParleyError({ status: 0, code: data.code, message: data.message, details: data.details,
            retryAfter }),
          client_message_id: data.client_message_id ?? null,
        });
        return;
      }
      default:
        if (this._held) {
          this._held.push(frame);
        } else {
          this.emit('event', { ...frame, source: 'live' });
        }
    }
  }

  /** @param {WebSocket} ws */
  _startTimers(ws) {
    this._stopTimers();
    this._lastHeard = Date.now();
    this._timers.push(setInterval(() => {
      this.send('presence.heartbeat', { status: this._presence });
    }, this._heartbeatMs));
    this._timers.push(setInterval(() => {
      if (Date.now() - this._lastHeard > this._pingMs + this._pongTimeoutMs) {
        // A link that died without a close (a cut cable, a sleeping laptop): give up on it now.
        this._drop(ws, 1006, 'no pong');
        return;
      }
      this.send('ping', {});
    }, this._pingMs));
  }

  _stopTimers() {
    for (const timer of this._timers) {
      clearInterval(timer);
    }
    this._timers = [];
  }

  /**
   * Forgets a socket, as closed with `code`, without waiting for the close handshake of a dead link.
   * @param {WebSocket} ws
   * @param {number} code
   * @param {string} reason
   */
  _drop(ws, code, reason) {
    if (ws !== this._ws) {
      return;
    }
    this._ws = null;
    this._held = null;
    this._stopTimers();
    ws.onopen = ws.onmessage = ws.onclose = null;
    // Closing a socket still connecting reports an error (the ws package throws it without a listener).
    ws.onerror = () => {};
    try {
      ws.close();
    } catch {
      // Already closing.
    }
    const resolve = this._resolveClose;
    this._resolveClose = undefined;
    resolve?.({ code, reason });
  }

  /**
   * @param {ConnectionState} state
   * @param {number} [code]
   */
  _shutdown(state, code) {
    this._run?.abort();
    this._run = null;
    this._wake?.();
    globalThis.removeEventListener?.('online', this._onOnline);
    globalThis.removeEventListener?.('offline', this._onOffline);
    if (this._ws) {
      this._drop(this._ws, 1000, state);
    }
    this._setState(state, { code });
  }

  /**
   * @param {ConnectionState} state
   * @param {{code?: number, retryInMs?: number}} [extra]
   */
  _setState(state, extra = {}) {
    const previous = this._state;
    if (previous === state && extra.retryInMs === undefined) {
      return;
    }
    this._state = state;
    this.emit('state', { state, previous, ...extra });
  }
}
