import { Emitter } from './emitter.js';
import { NetworkError, ParleyError, SignedOutError, isRetryable } from './errors.js';
import { backoffDelay, randomId, sleep } from './util.js';

/** @typedef {import('./client.js').ParleyClient} ParleyClient */
/** @typedef {import('./realtime.js').RealtimeConnection} RealtimeConnection */
/** @typedef {import('./types.js').KeyValueStorage} KeyValueStorage */
/** @typedef {import('./types.js').Message} Message */

/**
 * A message waiting to be acknowledged by the server.
 * @typedef {object} OutboxItem
 * @property {string} client_message_id
 * @property {string} conversation_id
 * @property {'text' | 'image'} type
 * @property {string | null} content
 * @property {string | null} reply_to
 * @property {string | null} attachment_id
 * @property {string} created_at when it was queued (RFC 3339)
 * @property {'pending' | 'failed'} status `failed`: refused for good (see `error`); `retry` or `discard` it
 * @property {number} attempts
 * @property {{code: string, message: string} | null} error the last refusal or failure
 */

/**
 * @typedef {object} OutboxEvents
 * @property {{item: OutboxItem, message: Message}} sent acknowledged: the stored message
 * @property {{item: OutboxItem, error: Error}} failed refused for good (too long, blocked, not a member, ...)
 * @property {OutboxItem[]} change the queue changed
 */

const OUTBOX_KEY = 'outbox';

/**
 * Messages on their way out, kept in storage until the server acknowledges them, so a message written offline (or
 * in a page that is then closed) is sent once, whatever happens to the connection. Each has a
 * `client_message_id` made when it is queued; a retry after a lost answer gets the stored message back (REST 200,
 * or a `message.ack`), never a second copy. Sent one at a time, in queue order, so the conversation's `seq` order is
 * the order they were written in: over the socket when it is live, else over REST.
 *
 * @extends {Emitter<OutboxEvents>}
 */
export class Outbox extends Emitter {
  /**
   * @param {object} options
   * @param {ParleyClient} options.client
   * @param {RealtimeConnection} [options.connection] sends over the socket when live
   * @param {KeyValueStorage} options.storage per user (pass a scoped storage)
   * @param {number} [options.ackTimeoutMs] a socket send unanswered this long is retried (default 10 s)
   * @param {{initial?: number, max?: number}} [options.backoff] milliseconds
   */
  constructor({ client, connection, storage, ackTimeoutMs = 10_000, backoff = {} }) {
    super();
    this._client = client;
    this._connection = connection;
    this._storage = storage;
    this._ackTimeoutMs = ackTimeoutMs;
    this._backoff = backoff;
    /** @type {OutboxItem[]} */
    this._items = [];
    /** @type {Map<string, {resolve: (message: Message) => void, reject: (error: Error) => void}>} */
    this._waiting = new Map();
    /** @type {AbortController | null} */
    this._run = null;
    /** @type {(() => void) | null} */
    this._wake = null;
    this._pumping = false;
    this._loaded = false;
    this._unsubscribe = /** @type {(() => void)[]} */ ([]);
  }

  /** Loads what an earlier page or process left unsent, and starts sending. */
  async start() {
    if (this._run) {
      return;
    }
    if (!this._loaded) {
      const saved = await this._storage.get(OUTBOX_KEY);
      // Items queued before start() (loading was async) stay after the saved ones: they were written later.
      const queued = this._items;
      this._items = [...(Array.isArray(saved) ? saved : []), ...queued];
      this._loaded = true;
    }
    this._run = new AbortController();
    const connection = this._connection;
    if (connection) {
      this._unsubscribe = [
        connection.on('ack', ({ client_message_id: id, message }) => this._waiting.get(id)?.resolve(message)),
        connection.on('frameError', ({ error, client_message_id: id }) => {
          if (id) {
            this._waiting.get(id)?.reject(error);
          }
        }),
        connection.on('closed', () => {
          for (const waiter of this._waiting.values()) {
            waiter.reject(new NetworkError('The socket closed before the acknowledgement'));
          }
        }),
        connection.on('state', ({ state }) => {
          if (state === 'online') {
            this._wake?.();
          }
        }),
      ];
    }
    this.emit('change', this.items());
    void this._pump();
  }

  /** Stops sending; what is queued stays queued (and stored). */
  stop() {
    this._run?.abort();
    this._run = null;
    this._wake?.();
    for (const off of this._unsubscribe) {
      off();
    }
    this._unsubscribe = [];
  }

  /**
   * Queues a message; it is stored before this returns, so it survives a reload from then on.
   * @param {object} message
   * @param {string} message.conversation_id
   * @param {'text' | 'image'} [message.type]
   * @param {string | null} [message.content]
   * @param {string | null} [message.reply_to]
   * @param {string | null} [message.attachment_id]
   * @returns {Promise<OutboxItem>}
   */
  async enqueue({ conversation_id, type = 'text', content = null, reply_to = null, attachment_id = null }) {
    /** @type {OutboxItem} */
    const item = {
      client_message_id: randomId(),
      conversation_id,
      type,
      content,
      reply_to,
      attachment_id,
      created_at: new Date().toISOString(),
      status: 'pending',
      attempts: 0,
      error: null,
    };
    this._items.push(item);
    await this._save();
    this._wake?.();
    void this._pump();
    return item;
  }

  /**
   * What is waiting, oldest first (of one conversation, when given).
   * @param {string} [conversationId]
   * @returns {OutboxItem[]}
   */
  items(conversationId) {
    return this._items.filter((item) => !conversationId || item.conversation_id === conversationId)
      .map((item) => ({ ...item }));
  }

  /** Tries a failed item again. @param {string} clientMessageId */
  async retry(clientMessageId) {
    const item = this._items.find((i) => i.client_message_id === clientMessageId);
    if (item && item.status === 'failed') {
      item.status = 'pending';
      item.error = null;
      await this._save();
      this._wake?.();
      void this._pump();
    }
  }

  /** Gives up on an item. @param {string} clientMessageId */
  async discard(clientMessageId) {
    this._items = this._items.filter((i) => i.client_message_id !== clientMessageId);
    await this._save();
  }

  /** Resolves once nothing is pending (failed items aside). */
  async drained() {
    while (this._items.some((i) => i.status === 'pending')) {
      await new Promise((resolve) => {
        const off = this.on('change', () => {
          off();
          resolve(undefined);
        });
      });
    }
  }

  async _pump() {
    if (this._pumping || !this._run) {
      return;
    }
    this._pumping = true;
    const signal = this._run.signal;
    let failures = 0;
    try {
      while (!signal.aborted) {
        const item = this._items.find((i) => i.status === 'pending');
        if (!item) {
          return;
        }
        item.attempts++;
        try {
          const message = await this._sendOnce(item);
          failures = 0;
          this._items = this._items.filter((i) => i !== item);
          await this._save();
          this.emit('sent', { item: { ...item }, message });
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          if (failure instanceof SignedOutError) {
            // Kept: it goes out once someone signs in again as the same user.
            return;
          }
          item.error = failure instanceof ParleyError ? { code: failure.code, message: failure.message }
            : { code: 'NETWORK', message: failure.message };
          if (!isRetryable(failure)) {
            item.status = 'failed';
            await this._save();
            this.emit('failed', { item: { ...item }, error: failure });
            continue;
          }
          await this._save();
          const limited = failure instanceof ParleyError && failure.retryAfter !== null;
          const delay = limited ? /** @type {number} */ (failure.retryAfter) * 1000 + 100
            : backoffDelay(failures++, this._backoff);
          await new Promise((resolve) => {
            this._wake = () => resolve(undefined);
            void sleep(delay, signal).then(() => resolve(undefined));
          });
          this._wake = null;
        }
      }
    } finally {
      this._pumping = false;
    }
  }

  /**
   * One attempt: over the socket when it is live (answered by `message.ack` or an `error` frame), else REST.
   * @param {OutboxItem} item
   * @returns {Promise<Message>}
   */
  async _sendOnce(item) {
    const body = {
      type: item.type,
      content: item.content,
      reply_to: item.reply_to,
      attachment_id: item.attachment_id,
      client_message_id: item.client_message_id,
    };
    const connection = this._connection;
    if (connection && connection.state === 'online') {
      const answer = new Promise((resolve, reject) => {
        this._waiting.set(item.client_message_id, { resolve, reject });
      });
      /** @type {ReturnType<typeof setTimeout> | undefined} */
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new NetworkError('No acknowledgement in time')), this._ackTimeoutMs);
      });
      try {
        if (connection.send('message.send', { conversation_id: item.conversation_id, ...body })) {
          return /** @type {Message} */ (await Promise.race([answer, timeout]));
        }
      } finally {
        clearTimeout(timer);
        this._waiting.delete(item.client_message_id);
      }
    }
    return (await this._client.sendMessage(item.conversation_id, body)).message;
  }

  async _save() {
    await this._storage.set(OUTBOX_KEY, this._items);
    this.emit('change', this.items());
  }
}
