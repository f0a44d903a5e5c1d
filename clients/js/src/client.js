import { Emitter } from './emitter.js';
import { NetworkError, ParleyError, SignedOutError } from './errors.js';

/** @typedef {import('./types.js').User} User */
/** @typedef {import('./types.js').TokenResponse} TokenResponse */
/** @typedef {import('./types.js').Session} Session */
/** @typedef {import('./types.js').Conversation} Conversation */
/** @typedef {import('./types.js').ConversationPage} ConversationPage */
/** @typedef {import('./types.js').ParticipantPage} ParticipantPage */
/** @typedef {import('./types.js').Contact} Contact */
/** @typedef {import('./types.js').ContactPage} ContactPage */
/** @typedef {import('./types.js').Message} Message */
/** @typedef {import('./types.js').MessagePage} MessagePage */
/** @typedef {import('./types.js').ReadState} ReadState */
/** @typedef {import('./types.js').Receipt} Receipt */
/** @typedef {import('./types.js').UploadTicket} UploadTicket */
/** @typedef {import('./types.js').Attachment} Attachment */
/** @typedef {import('./types.js').Presence} Presence */
/** @typedef {import('./types.js').SessionInfo} SessionInfo */
/** @typedef {import('./types.js').SyncPage} SyncPage */
/** @typedef {import('./types.js').KeyValueStorage} KeyValueStorage */
/** @typedef {import('./types.js').Device} Device */
/** @typedef {import('./types.js').DeviceRegistration} DeviceRegistration */
/** @typedef {import('./types.js').RegisterDeviceBody} RegisterDeviceBody */
/** @typedef {import('./types.js').NotificationSettings} NotificationSettings */

/**
 * @typedef {object} RequestOptions
 * @property {{[name: string]: string | number | boolean | null | undefined}} [query]
 * @property {any} [body] sent as JSON
 * @property {boolean} [auth] send the bearer token (default true)
 * @property {AbortSignal} [signal]
 * @property {number} [timeoutMs] abort after this long (default 30 s; long polls add their own wait)
 */

/**
 * @typedef {object} SendMessageBody
 * @property {'text' | 'image'} [type] default `text`
 * @property {string | null} [content]
 * @property {string | null} [reply_to] a message id
 * @property {string | null} [attachment_id]
 * @property {string} [client_message_id] makes the send idempotent: a retry returns the stored message
 */

/**
 * @typedef {object} ClientEvents
 * @property {Session | null} session the session changed (signed in, refreshed, signed out)
 * @property {{reason: string}} signedOut the session ended (revoked, refresh refused, logout)
 */

const SESSION_KEY = 'session';

/**
 * Parley's REST API with typed results. Every failure is a {@link ParleyError} (the server's `{code, message,
 * details}`, the status and `Retry-After`) or a {@link NetworkError}. The access token is refreshed by itself:
 * ahead of expiry, and once more when a request is answered 401.
 *
 * @extends {Emitter<ClientEvents>}
 */
export class ParleyClient extends Emitter {
  /**
   * @param {object} [options]
   * @param {string} [options.baseUrl] the server's origin, e.g. `http://localhost:8080` (default: this page's)
   * @param {typeof fetch} [options.fetch]
   * @param {KeyValueStorage} [options.storage] where the session is kept across reloads
   * @param {() => number} [options.now] epoch milliseconds (tests)
   */
  constructor({ baseUrl, fetch: fetchImpl, storage, now = Date.now } = {}) {
    super();
    const origin = baseUrl ?? globalThis.location?.origin;
    if (!origin) {
      throw new TypeError('baseUrl is required outside a browser page');
    }
    /** @readonly */ this.baseUrl = origin.replace(/\/+$/, '');
    this._fetch = fetchImpl ?? globalThis.fetch.bind(globalThis);
    this._storage = storage;
    this._now = now;
    /** @type {Session | null} */
    this._session = null;
    /** @type {Promise<Session> | null} */
    this._refreshing = null;
  }

  /** Loads a session kept by an earlier page or process; returns it, or null. */
  async restoreSession() {
    if (this._storage) {
      const saved = await this._storage.get(SESSION_KEY);
      if (saved && typeof saved.refresh_token === 'string') {
        this._session = saved;
      }
    }
    return this._session;
  }

  /** @returns {Session | null} */
  get session() {
    return this._session;
  }

  /** @returns {User | null} */
  get user() {
    return this._session?.user ?? null;
  }

  /**
   * Uses tokens obtained elsewhere (say, the host app's server).
   * @param {TokenResponse} tokens
   */
  async useTokens(tokens) {
    await this._setSession({
      user: tokens.user,
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      expires_at: this._now() + tokens.expires_in * 1000,
    });
    return tokens.user;
  }

  // ---- Auth -------------------------------------------------------------------------------------------------

  /**
   * Creates an account and signs in. Throws VALIDATION_FAILED, CONFLICT (username taken), RATE_LIMIT_EXCEEDED.
   * @param {{username: string, password: string, display_name?: string}} body
   * @returns {Promise<User>}
   */
  async register(body) {
    return this.useTokens(await this.request('POST', '/auth/register', { body, auth: false }));
  }

  /**
   * Throws UNAUTHORIZED (wrong credentials), ACCOUNT_SUSPENDED, RATE_LIMIT_EXCEEDED.
   * @param {{username: string, password: string}} body
   * @returns {Promise<User>}
   */
  async login(body) {
    return this.useTokens(await this.request('POST', '/auth/login', { body, auth: false }));
  }

  /**
   * A fresh access token from the refresh token (which rotates). Concurrent callers share one refresh. A refused
   * refresh (401, 403) ends the session: {@link SignedOutError}, and `signedOut` is emitted.
   * @returns {Promise<Session>}
   */
  refresh() {
    if (!this._refreshing) {
      this._refreshing = this._refresh().finally(() => {
        this._refreshing = null;
      });
    }
    return this._refreshing;
  }

  async _refresh() {
    const session = this._session;
    if (!session) {
      throw new SignedOutError('Not signed in');
    }
    try {
      /** @type {TokenResponse} */
      const tokens = await this.request('POST', '/auth/refresh', {
        body: { refresh_token: session.refresh_token }, auth: false,
      });
      await this.useTokens(tokens);
      return /** @type {Session} */ (this._session);
    } catch (error) {
      if (error instanceof ParleyError && (error.status === 401 || error.status === 403)) {
        await this.forgetSession(error.code === 'ACCOUNT_SUSPENDED' ? 'suspended' : 'refresh_refused');
        throw new SignedOutError(error.message, error);
      }
      throw error;
    }
  }

  /** Ends this session on the server (other devices stay signed in) and forgets it here. */
  async logout() {
    const session = this._session;
    if (session) {
      try {
        await this.request('POST', '/auth/logout', { body: { refresh_token: session.refresh_token } });
      } finally {
        await this.forgetSession('logout');
      }
    }
  }

  /** Ends every session of this account, this one included. */
  async logoutAll() {
    try {
      await this.request('POST', '/auth/logout-all');
    } finally {
      await this.forgetSession('logout');
    }
  }

  /**
   * Forgets the session locally (after a `4003` close, say) and emits `signedOut`.
   * @param {string} reason
   */
  async forgetSession(reason) {
    const had = this._session !== null;
    await this._setSession(null);
    if (had) {
      this.emit('signedOut', { reason });
    }
  }

  /** @returns {Promise<SessionInfo[]>} */
  async sessions() {
    return (await this.request('GET', '/users/me/sessions')).sessions;
  }

  /** @param {string} sessionId */
  revokeSession(sessionId) {
    return this.request('DELETE', `/users/me/sessions/${enc(sessionId)}`);
  }

  /** Every other session is revoked. Throws FORBIDDEN (wrong current password), VALIDATION_FAILED. */
  changePassword(/** @type {{current_password: string, new_password: string}} */ body) {
    return this.request('PUT', '/users/me/password', { body });
  }

  // ---- Users ------------------------------------------------------------------------------------------------

  /** @returns {Promise<User>} */
  me() {
    return this.request('GET', '/users/me');
  }

  /**
   * @param {{display_name?: string, profile_photo_url?: string | null}} body
   * @returns {Promise<User>}
   */
  updateMe(body) {
    return this.request('PATCH', '/users/me', { body });
  }

  /** @param {string} userId @returns {Promise<User>} */
  getUser(userId) {
    return this.request('GET', `/users/${enc(userId)}`);
  }

  /**
   * Users whose username or display name starts with `query` (at most 20).
   * @param {string} query
   * @returns {Promise<User[]>}
   */
  async searchUsers(query) {
    return (await this.request('GET', '/users', { query: { query } })).users;
  }

  /** @param {string} userId */
  block(userId) {
    return this.request('POST', `/users/${enc(userId)}/block`);
  }

  /** @param {string} userId */
  unblock(userId) {
    return this.request('DELETE', `/users/${enc(userId)}/block`);
  }

  /**
   * Asks `userId` to be a contact, or accepts their request. Throws USER_NOT_FOUND, USER_BLOCKED,
   * RATE_LIMIT_EXCEEDED.
   * @param {string} userId
   * @returns {Promise<Contact>}
   */
  requestContact(userId) {
    return this.request('POST', `/users/${enc(userId)}/contact`);
  }

  /** Ends a contact, withdraws or refuses a request. @param {string} userId */
  removeContact(userId) {
    return this.request('DELETE', `/users/${enc(userId)}/contact`);
  }

  /**
   * @param {{status?: 'accepted' | 'incoming' | 'outgoing', cursor?: string | null, limit?: number}} [options]
   * @returns {Promise<ContactPage>}
   */
  listContacts({ status, cursor, limit } = {}) {
    return this.request('GET', '/users/me/contacts', { query: { status, cursor, limit } });
  }

  /**
   * Throws USER_NOT_FOUND, FORBIDDEN (no shared conversation, or a block), SERVICE_UNAVAILABLE.
   * @param {string} userId
   * @returns {Promise<Presence>}
   */
  presence(userId) {
    return this.request('GET', `/users/${enc(userId)}/presence`);
  }

  // ---- Conversations ----------------------------------------------------------------------------------------

  /**
   * Newest activity first; pass `next_cursor` back as `before`. `folder: 'requests'` lists the requests waiting
   * for the caller instead.
   * @param {{limit?: number, before?: string | null, folder?: 'inbox' | 'requests'}} [options]
   * @returns {Promise<ConversationPage>}
   */
  listConversations({ limit, before, folder } = {}) {
    return this.request('GET', '/conversations', { query: { limit, before, folder } });
  }

  /**
   * Accepts a conversation request or group invitation. Throws CONVERSATION_NOT_FOUND.
   * @param {string} conversationId
   * @returns {Promise<Conversation>}
   */
  acceptRequest(conversationId) {
    return this.request('POST', `/conversations/${enc(conversationId)}/accept`);
  }

  /**
   * Declines a request; `block` blocks its requester too. Throws CONVERSATION_NOT_FOUND.
   * @param {string} conversationId
   * @param {{block?: boolean}} [options]
   */
  declineRequest(conversationId, { block = false } = {}) {
    return this.request('POST', `/conversations/${enc(conversationId)}/decline`, { body: { block } });
  }

  /** @param {string} conversationId @returns {Promise<Conversation>} */
  getConversation(conversationId) {
    return this.request('GET', `/conversations/${enc(conversationId)}`);
  }

  /**
   * The direct conversation with `userId`: created, or the existing one (at most one per pair).
   * Throws USER_NOT_FOUND, USER_BLOCKED, NOT_A_CONTACT.
   * @param {string} userId
   * @returns {Promise<Conversation>}
   */
  createDirect(userId) {
    return this.request('POST', '/conversations', { body: { type: 'direct', participant_ids: [userId] } });
  }

  /**
   * Throws VALIDATION_FAILED, USER_BLOCKED, RATE_LIMIT_EXCEEDED.
   * @param {{name: string, participant_ids: string[], photo_url?: string}} body
   * @returns {Promise<Conversation>}
   */
  createGroup(body) {
    return this.request('POST', '/conversations', { body: { type: 'group', ...body } });
  }

  /**
   * @param {string} conversationId
   * @param {{name?: string, photo_url?: string | null}} body
   * @returns {Promise<Conversation>}
   */
  updateConversation(conversationId, body) {
    return this.request('PATCH', `/conversations/${enc(conversationId)}`, { body });
  }

  /** Leaves a group, or hides a direct conversation until its next message. @param {string} conversationId */
  leaveConversation(conversationId) {
    return this.request('DELETE', `/conversations/${enc(conversationId)}`);
  }

  /**
   * @param {string} conversationId
   * @param {{cursor?: string | null, limit?: number}} [options]
   * @returns {Promise<ParticipantPage>}
   */
  listParticipants(conversationId, { cursor, limit } = {}) {
    return this.request('GET', `/conversations/${enc(conversationId)}/participants`, { query: { cursor, limit } });
  }

  /**
   * @param {string} conversationId
   * @param {string[]} userIds
   * @returns {Promise<Conversation>}
   */
  addParticipants(conversationId, userIds) {
    return this.request('POST', `/conversations/${enc(conversationId)}/participants`, {
      body: { user_ids: userIds },
    });
  }

  /** @param {string} conversationId @param {string} userId */
  removeParticipant(conversationId, userId) {
    return this.request('DELETE', `/conversations/${enc(conversationId)}/participants/${enc(userId)}`);
  }

  /** @param {string} conversationId @param {string} userId @param {'admin' | 'member'} role */
  changeRole(conversationId, userId, role) {
    return this.request('PATCH', `/conversations/${enc(conversationId)}/participants/${enc(userId)}`, {
      body: { role },
    });
  }

  /**
   * @param {string} conversationId
   * @param {boolean} muted
   * @param {string} [until] RFC 3339
   */
  mute(conversationId, muted, until) {
    return this.request('PUT', `/conversations/${enc(conversationId)}/mute`, { body: { muted, until } });
  }

  /** @param {string} conversationId */
  readAll(conversationId) {
    return this.request('PUT', `/conversations/${enc(conversationId)}/read-all`);
  }

  // ---- Messages ---------------------------------------------------------------------------------------------

  /**
   * Sends at once, without the outbox (prefer `Parley.send`, which retries until acknowledged).
   * Throws CONVERSATION_NOT_FOUND, USER_BLOCKED, MESSAGE_TOO_LONG, RATE_LIMIT_EXCEEDED, VALIDATION_FAILED,
   * INVALID_ATTACHMENT, CONTENT_REJECTED.
   * @param {string} conversationId
   * @param {SendMessageBody} body
   * @returns {Promise<{message: Message, created: boolean}>} created is false for a repeated client_message_id
   */
  async sendMessage(conversationId, body) {
    const { status, body: message } = await this.requestWithStatus('POST',
      `/conversations/${enc(conversationId)}/messages`, { body: { type: 'text', ...body } });
    return { message, created: status === 201 };
  }

  /**
   * History: newest first before `before_id` (or from the newest), oldest first after `after_id`.
   * @param {string} conversationId
   * @param {{before_id?: string, after_id?: string, limit?: number}} [options]
   * @returns {Promise<MessagePage>}
   */
  listMessages(conversationId, options = {}) {
    return this.request('GET', `/conversations/${enc(conversationId)}/messages`, { query: { ...options } });
  }

  /** @param {string} messageId @returns {Promise<Message>} */
  getMessage(messageId) {
    return this.request('GET', `/messages/${enc(messageId)}`);
  }

  /** Sender only, text only. @param {string} messageId @param {string} content @returns {Promise<Message>} */
  editMessage(messageId, content) {
    return this.request('PATCH', `/messages/${enc(messageId)}`, { body: { content } });
  }

  /** Leaves a tombstone. @param {string} messageId */
  deleteMessage(messageId) {
    return this.request('DELETE', `/messages/${enc(messageId)}`);
  }

  /**
   * @param {string} q
   * @param {{conversationId?: string, cursor?: string, limit?: number}} [options]
   * @returns {Promise<MessagePage>}
   */
  searchMessages(q, { conversationId, cursor, limit } = {}) {
    const path = conversationId ? `/conversations/${enc(conversationId)}/messages/search` : '/messages/search';
    return this.request('GET', path, { query: { q, cursor, limit } });
  }

  /** Idempotent. Throws VALIDATION_FAILED (not one emoji), TOO_MANY_REACTIONS. @param {string} messageId @param {string} emoji */
  addReaction(messageId, emoji) {
    return this.request('POST', `/messages/${enc(messageId)}/reactions`, { body: { emoji } });
  }

  /** @param {string} messageId @param {string} emoji */
  removeReaction(messageId, emoji) {
    return this.request('DELETE', `/messages/${enc(messageId)}/reactions/${enc(emoji)}`);
  }

  /** Marks it and everything before it read. @param {string} messageId @returns {Promise<ReadState>} */
  markRead(messageId) {
    return this.request('PUT', `/messages/${enc(messageId)}/read`);
  }

  /** @param {string} messageId @returns {Promise<Receipt[]>} */
  receipts(messageId) {
    return this.request('GET', `/messages/${enc(messageId)}/receipts`);
  }

  // ---- Attachments ------------------------------------------------------------------------------------------

  /**
   * Step 1 of an upload. Throws INVALID_ATTACHMENT (type), ATTACHMENT_TOO_LARGE, RATE_LIMIT_EXCEEDED.
   * @param {{filename: string, content_type: string, file_size: number}} body
   * @returns {Promise<UploadTicket>}
   */
  uploadUrl(body) {
    return this.request('POST', '/messages/attachments/upload-url', { body });
  }

  /**
   * Step 3: the server checks the bytes. Throws INVALID_ATTACHMENT, ATTACHMENT_NOT_FOUND.
   * @param {string} attachmentId
   * @returns {Promise<Attachment>}
   */
  completeUpload(attachmentId) {
    return this.request('POST', '/messages/attachments/complete', {
      body: { attachment_id: attachmentId }, timeoutMs: 60_000,
    });
  }

  /** @param {string} attachmentId @returns {Promise<Attachment>} */
  getAttachment(attachmentId) {
    return this.request('GET', `/messages/attachments/${enc(attachmentId)}`);
  }

  // ---- Devices and push notifications ---------------------------------------------------------------------

  /**
   * Registers a push target: an FCM or APNs token, or a browser's `PushSubscription.toJSON()` as `webpush`.
   * The same token or endpoint again answers that device (`created: false`), moved to the caller if another
   * account had it. Throws VALIDATION_FAILED (`details.field` names what is wrong, e.g. a non-https endpoint).
   * @param {RegisterDeviceBody} body
   * @returns {Promise<{device: DeviceRegistration, created: boolean}>}
   */
  async registerDevice(body) {
    const { status, body: device } = await this.requestWithStatus('POST', '/devices', { body });
    return { device, created: status === 201 };
  }

  /** The caller's push targets (tokens and keys are never shown again). @returns {Promise<Device[]>} */
  async listDevices() {
    return (await this.request('GET', '/devices')).devices;
  }

  /** Throws DEVICE_NOT_FOUND (also for another user's device). @param {string} deviceId */
  deleteDevice(deviceId) {
    return this.request('DELETE', `/devices/${enc(deviceId)}`);
  }

  /**
   * The server's VAPID public key (base64url), the `applicationServerKey` of `pushManager.subscribe`. Needs no
   * session. @returns {Promise<string>}
   */
  async webPushKey() {
    return (await this.request('GET', '/push/webpush-key', { auth: false })).public_key;
  }

  /** @returns {Promise<NotificationSettings>} */
  notificationSettings() {
    return this.request('GET', '/users/me/notification-settings');
  }

  /** What pushes show: `full` (title and text), `sender` (title only) or `none`. @param {NotificationSettings} body */
  updateNotificationSettings(body) {
    return this.request('PUT', '/users/me/notification-settings', { body });
  }

  // ---- Typing and catch-up ----------------------------------------------------------------------------------

  /** @param {string} conversationId */
  startTyping(conversationId) {
    return this.request('POST', `/conversations/${enc(conversationId)}/typing`);
  }

  /** @param {string} conversationId */
  stopTyping(conversationId) {
    return this.request('DELETE', `/conversations/${enc(conversationId)}/typing`);
  }

  /**
   * What the caller missed, in commit order, after `since` (from the beginning of the kept log without it).
   * Throws VALIDATION_FAILED for a cursor that is unknown or past retention (`details.reason: cursor_expired`).
   * @param {{since?: string | null, limit?: number, timeout?: number}} [options]
   * @returns {Promise<SyncPage>}
   */
  sync({ since, limit, timeout } = {}) {
    return this.request('GET', '/sync', {
      query: { since, limit, timeout }, timeoutMs: 30_000 + (timeout ?? 0) * 1000,
    });
  }

  // ---- Plumbing ---------------------------------------------------------------------------------------------

  /**
   * A valid access token, refreshed first when it expires within 30 s.
   * @returns {Promise<string>}
   */
  async accessToken() {
    const session = this._session;
    if (!session) {
      throw new SignedOutError('Not signed in');
    }
    if (session.expires_at - this._now() < 30_000) {
      return (await this.refresh()).access_token;
    }
    return session.access_token;
  }

  /**
   * Any call of the API, relative to `/api/v1`. Answers the parsed JSON body (undefined for 204).
   * @param {string} method
   * @param {string} path
   * @param {RequestOptions} [options]
   * @returns {Promise<any>}
   */
  async request(method, path, options = {}) {
    return (await this.requestWithStatus(method, path, options)).body;
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {RequestOptions} [options]
   * @returns {Promise<{status: number, body: any}>}
   */
  async requestWithStatus(method, path, options = {}) {
    const auth = options.auth ?? true;
    const token = auth ? await this.accessToken() : null;
    try {
      return await this._send(method, path, options, token);
    } catch (error) {
      // An access token can die before its expiry (a clock skew, a secret rotation): one refresh, one retry.
      if (auth && error instanceof ParleyError && error.status === 401 && this._session) {
        const session = await this.refresh();
        return this._send(method, path, options, session.access_token);
      }
      throw error;
    }
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {RequestOptions} options
   * @param {string | null} token
   */
  async _send(method, path, { query, body, signal, timeoutMs = 30_000 }, token) {
    const url = new URL(`${this.baseUrl}/api/v1${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) {
        url.searchParams.set(name, String(value));
      }
    }
    /** @type {Record<string, string>} */
    const headers = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    /** @type {Response} */
    let response;
    try {
      response = await this._fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new NetworkError(`${method} ${path}: ${describe(error)}`, error);
    }
    const text = await response.text().catch((error) => {
      throw new NetworkError(`${method} ${path}: the answer was cut off`, error);
    });
    /** @type {any} */
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      throw toError(response, parsed, text);
    }
    return { status: response.status, body: parsed };
  }

  /** @param {Session | null} session */
  async _setSession(session) {
    this._session = session;
    if (this._storage) {
      if (session) {
        await this._storage.set(SESSION_KEY, session);
      } else {
        await this._storage.remove(SESSION_KEY);
      }
    }
    this.emit('session', session);
  }
}

/**
 * @param {Response} response
 * @param {any} body
 * @param {string} text
 */
function toError(response, body, text) {
  const header = response.headers.get('Retry-After');
  const details = body && typeof body.details === 'object' && body.details !== null ? body.details : {};
  const seconds = header !== null && /^\d+$/.test(header.trim()) ? Number(header)
    : typeof details.retry_after === 'number' ? details.retry_after : null;
  return new ParleyError({
    status: response.status,
    code: typeof body?.code === 'string' ? body.code : `HTTP_${response.status}`,
    message: typeof body?.message === 'string' ? body.message : (text.slice(0, 200) || response.statusText),
    details,
    retryAfter: seconds,
  });
}

/** @param {unknown} error */
function describe(error) {
  if (error instanceof Error) {
    return error.name === 'TimeoutError' ? 'timed out' : error.message;
  }
  return String(error);
}

/** @param {string} segment */
function enc(segment) {
  return encodeURIComponent(segment);
}
