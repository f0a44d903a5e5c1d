import { ParleyClient } from './client.js';
import { Emitter } from './emitter.js';
import { Outbox } from './outbox.js';
import { RealtimeConnection } from './realtime.js';
import { MemoryStorage } from './storage.js';
import { ChatStore } from './store.js';
import { TypingNotifier } from './typing.js';
import { uploadImage } from './upload.js';

/** @typedef {import('./types.js').KeyValueStorage} KeyValueStorage */
/** @typedef {import('./types.js').Message} Message */
/** @typedef {import('./types.js').User} User */
/** @typedef {import('./types.js').WebSocketConstructor} WebSocketConstructor */
/** @typedef {import('./realtime.js').ConnectionState} ConnectionState */
/** @typedef {import('./outbox.js').OutboxItem} OutboxItem */
/** @typedef {import('./upload.js').UploadOptions} UploadOptions */

/**
 * @typedef {object} ParleyOptions
 * @property {string} [baseUrl] the server's origin (default: this page's)
 * @property {KeyValueStorage} [storage] session, cursor and outbox; `new WebStorage()` in browsers so they survive
 *   a reload (default: memory)
 * @property {WebSocketConstructor} [WebSocket] default the global one (Node 20: `import WebSocket from 'ws'`)
 * @property {typeof fetch} [fetch]
 * @property {number} [heartbeatMs] presence heartbeat period (30-60 s)
 * @property {number} [pingMs] liveness ping period
 * @property {{initial?: number, max?: number}} [backoff] reconnect and resend backoff, milliseconds
 */

/**
 * @typedef {object} ParleyEvents
 * @property {{conversationId: string | null, kind: string}} change the store changed
 * @property {ConnectionState} connection the connection's state changed
 * @property {OutboxItem[]} outbox messages waiting to be acknowledged changed
 * @property {{item: OutboxItem, error: Error}} sendFailed a queued message was refused for good
 * @property {{reason: string}} signedOut
 */

/**
 * Everything wired together: the REST client, the real-time connection, the outbox, the typing notifier and the
 * store. Sign in (or restore a kept session), then read `store` and listen to `change`.
 *
 * @extends {Emitter<ParleyEvents>}
 */
export class Parley extends Emitter {
  /** @param {ParleyOptions} [options] */
  constructor(options = {}) {
    super();
    this._options = options;
    this._storage = options.storage ?? new MemoryStorage();
    /** @readonly */
    this.client = new ParleyClient({ baseUrl: options.baseUrl, fetch: options.fetch, storage: this._storage });
    /** @readonly */
    this.store = new ChatStore({ client: this.client });
    /** @type {RealtimeConnection | null} */
    this.connection = null;
    /** @type {Outbox | null} */
    this.outbox = null;
    /** @type {TypingNotifier | null} */
    this.typing = null;
    this._started = false;
    /** @type {(() => void)[]} */
    this._offs = [];
    this.store.on('change', (change) => this.emit('change', change));
    this.client.on('signedOut', ({ reason }) => {
      this._teardown();
      this.store.clear();
      this.emit('signedOut', { reason });
    });
  }

  /** @returns {User | null} */
  get user() {
    return this.client.user;
  }

  /** @returns {ConnectionState} */
  get connectionState() {
    return this.connection?.state ?? 'idle';
  }

  /**
   * Picks up a session kept by an earlier page and starts; false when there is none.
   * @returns {Promise<boolean>}
   */
  async resume() {
    if (!(await this.client.restoreSession())) {
      return false;
    }
    await this.start();
    return true;
  }

  /** @param {{username: string, password: string, display_name?: string}} body */
  async register(body) {
    await this.client.register(body);
    await this.start();
    return /** @type {User} */ (this.user);
  }

  /** @param {{username: string, password: string}} body */
  async login(body) {
    await this.client.login(body);
    await this.start();
    return /** @type {User} */ (this.user);
  }

  /** Ends this session on the server and locally. */
  async logout() {
    const connection = this.connection;
    // Closed first: the server ends the socket of a logged-out session with 4003, which would read as a revocation.
    this._teardown();
    try {
      await this.client.logout();
    } finally {
      await connection?.clearCursor();
    }
  }

  /** Connects, loads the conversation list and sends whatever the outbox holds. */
  async start() {
    if (this._started) {
      return;
    }
    const user = this.user;
    if (!user) {
      throw new Error('Sign in first');
    }
    this._started = true;
    // The cursor and the outbox belong to one user: a shared browser may hold several.
    const scoped = scope(this._storage, `u:${user.user_id}:`);
    const o = this._options;
    const connection = new RealtimeConnection({
      client: this.client, storage: scoped, WebSocket: o.WebSocket, heartbeatMs: o.heartbeatMs, pingMs: o.pingMs,
      backoff: o.backoff,
    });
    const outbox = new Outbox({ client: this.client, connection, storage: scoped, backoff: o.backoff });
    this.connection = connection;
    this.outbox = outbox;
    this.typing = new TypingNotifier({ client: this.client, connection });
    this._offs = [
      connection.on('event', (event) => this.store.applyEvent(event, event.source)),
      connection.on('reset', ({ fresh }) => {
        if (!fresh) {
          // The cursor was lost or expired: what is held may have missed changes that no event will repeat.
          this.store.clear();
        }
        void this.store.loadConversations().catch(() => {
          // Retried on the next reset or by the app; the connection goes on.
        });
      }),
      connection.on('state', ({ state }) => {
        if (state === 'online') {
          // What failed while the network was gone (a conversation fetch, a gap fill) is tried again.
          this.store.resync();
        }
        this.emit('connection', state);
      }),
      outbox.on('sent', ({ message }) => this.store.applyMessage(message)),
      outbox.on('change', (items) => this.emit('outbox', items)),
      outbox.on('failed', (failure) => this.emit('sendFailed', failure)),
    ];
    await this.store.loadConversations().catch(() => {
      // Offline at start: the connection's catch-up or reset loads it once the server is reachable.
    });
    await connection.start();
    await outbox.start();
  }

  /** Disconnects (the session is kept; {@link start} again to resume). */
  stop() {
    this._teardown();
  }

  _teardown() {
    for (const off of this._offs) {
      off();
    }
    this._offs = [];
    this.connection?.stop();
    this.outbox?.stop();
    this._started = false;
  }

  /**
   * Queues a text message: it is sent once, whenever the server can be reached, and appears in the store when
   * acknowledged (until then, in `pending(conversationId)`).
   * @param {string} conversationId
   * @param {string} content
   * @param {{replyTo?: string | null}} [options]
   */
  send(conversationId, content, { replyTo = null } = {}) {
    this.typing?.sent(conversationId);
    return this._outbox().enqueue({ conversation_id: conversationId, type: 'text', content, reply_to: replyTo });
  }

  /**
   * Uploads an image (with progress), then queues its message.
   * @param {string} conversationId
   * @param {Blob | ArrayBuffer | Uint8Array} image
   * @param {UploadOptions & {caption?: string, replyTo?: string | null}} [options]
   */
  async sendImage(conversationId, image, options = {}) {
    const attachment = await uploadImage(this.client, image, options);
    this.typing?.sent(conversationId);
    return this._outbox().enqueue({ conversation_id: conversationId, type: 'image', content: options.caption || null,
      attachment_id: attachment.attachment_id, reply_to: options.replyTo ?? null });
  }

  /**
   * Messages queued and not yet acknowledged.
   * @param {string} [conversationId]
   * @returns {OutboxItem[]}
   */
  pending(conversationId) {
    return this.outbox?.items(conversationId) ?? [];
  }

  /**
   * Adds or removes the caller's reaction; the store shows it at once.
   * @param {Message} message
   * @param {string} emoji
   */
  async toggleReaction(message, emoji) {
    const held = this.store.messages(message.conversation_id).find((m) => m.message_id === message.message_id)
      ?? message;
    const mine = held.reactions?.some((r) => r.emoji === emoji && r.reacted_by_me) ?? false;
    if (mine) {
      await this.client.removeReaction(message.message_id, emoji);
      this.store.applyOwnReaction(message.conversation_id, message.message_id, emoji, 'removed');
    } else {
      await this.client.addReaction(message.message_id, emoji);
      this.store.applyOwnReaction(message.conversation_id, message.message_id, emoji, 'added');
    }
  }

  /** @param {Message} message @param {string} content */
  async edit(message, content) {
    this.store.applyMessage(await this.client.editMessage(message.message_id, content));
  }

  /** @param {Message} message */
  async delete(message) {
    await this.client.deleteMessage(message.message_id);
    this.store.applyEvent({ type: 'message.deleted', data: { conversation_id: message.conversation_id,
      message_id: message.message_id, seq: message.seq, sender_id: message.sender_id } });
  }

  /**
   * Opens (or finds) the direct conversation with a user and adds it to the store.
   * @param {string} userId
   */
  async openDirect(userId) {
    const conversation = await this.client.createDirect(userId);
    this.store.addConversation(conversation);
    return conversation;
  }

  /** @param {string} name @param {string[]} userIds */
  async createGroup(name, userIds) {
    const conversation = await this.client.createGroup({ name, participant_ids: userIds });
    this.store.addConversation(conversation);
    return conversation;
  }

  /**
   * Accepts a request (or group invitation) from the requests folder: the conversation joins the store, and the
   * folder's count is loaded again. Throws CONVERSATION_NOT_FOUND when none waits.
   * @param {string} conversationId
   */
  async acceptRequest(conversationId) {
    const conversation = await this.client.acceptRequest(conversationId);
    this.store.addConversation(conversation);
    await this.store.loadRequests({ limit: 1 }).catch(() => {});
    return conversation;
  }

  /**
   * Declines a request; `block` blocks its requester too. Nothing tells the requester.
   * @param {string} conversationId
   * @param {{block?: boolean}} [options]
   */
  async declineRequest(conversationId, options = {}) {
    await this.client.declineRequest(conversationId, options);
    await this.store.loadRequests({ limit: 1 }).catch(() => {});
  }

  _outbox() {
    if (!this.outbox) {
      throw new Error('Sign in (and start) first');
    }
    return this.outbox;
  }
}

/**
 * A view of a storage under a key prefix.
 * @param {KeyValueStorage} storage
 * @param {string} prefix
 * @returns {KeyValueStorage}
 */
export function scope(storage, prefix) {
  return {
    get: (key) => storage.get(prefix + key),
    set: (key, value) => storage.set(prefix + key, value),
    remove: (key) => storage.remove(prefix + key),
  };
}
