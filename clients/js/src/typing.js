/** @typedef {import('./client.js').ParleyClient} ParleyClient */
/** @typedef {import('./realtime.js').RealtimeConnection} RealtimeConnection */

/**
 * Turns keystrokes into typing frames without flooding: `typing.start` at most every `renewMs` while typing
 * continues (the server forgets a state after 10 s), `typing.stop` after `idleMs` without a keystroke or on
 * {@link stop}. A sent message ends the state on the server by itself, so {@link sent} only forgets it here.
 * Over the socket when it is live, else REST; best effort either way (a lost indicator expires by itself).
 */
export class TypingNotifier {
  /**
   * @param {object} options
   * @param {ParleyClient} options.client
   * @param {RealtimeConnection} [options.connection]
   * @param {number} [options.renewMs] default 3 s
   * @param {number} [options.idleMs] default 5 s
   * @param {() => number} [options.now]
   */
  constructor({ client, connection, renewMs = 3000, idleMs = 5000, now = Date.now }) {
    this._client = client;
    this._connection = connection;
    this._renewMs = renewMs;
    this._idleMs = idleMs;
    this._now = now;
    /** @type {Map<string, {startedAt: number, idle: ReturnType<typeof setTimeout>}>} */
    this._active = new Map();
  }

  /** Call on every keystroke in a conversation's composer. @param {string} conversationId */
  keystroke(conversationId) {
    const active = this._active.get(conversationId);
    const now = this._now();
    if (active) {
      clearTimeout(active.idle);
    }
    const startedAt = !active || now - active.startedAt >= this._renewMs ? now : active.startedAt;
    if (startedAt === now) {
      this._frame('typing.start', conversationId);
    }
    this._active.set(conversationId, {
      startedAt,
      idle: setTimeout(() => this.stop(conversationId), this._idleMs),
    });
  }

  /** The composer was emptied or left. @param {string} conversationId */
  stop(conversationId) {
    if (this._forget(conversationId)) {
      this._frame('typing.stop', conversationId);
    }
  }

  /** A message was sent: the server has ended the typing state itself. @param {string} conversationId */
  sent(conversationId) {
    this._forget(conversationId);
  }

  /** @param {string} conversationId */
  _forget(conversationId) {
    const active = this._active.get(conversationId);
    if (active) {
      clearTimeout(active.idle);
      this._active.delete(conversationId);
    }
    return Boolean(active);
  }

  /**
   * @param {'typing.start' | 'typing.stop'} type
   * @param {string} conversationId
   */
  _frame(type, conversationId) {
    if (this._connection?.send(type, { conversation_id: conversationId })) {
      return;
    }
    const call = type === 'typing.start' ? this._client.startTyping(conversationId)
      : this._client.stopTyping(conversationId);
    call.catch(() => {
      // Best effort: an indicator that did not get through expires by itself.
    });
  }
}
