import { Emitter } from './emitter.js';

/** @typedef {import('./client.js').ParleyClient} ParleyClient */
/** @typedef {import('./types.js').Conversation} Conversation */
/** @typedef {import('./types.js').Message} Message */
/** @typedef {import('./types.js').Presence} Presence */
/** @typedef {import('./types.js').ServerEvent} ServerEvent */

/**
 * @typedef {object} StoreEvents
 * @property {{conversationId: string | null, kind: string}} change something changed (`kind`: `conversations`,
 *   `messages`, `typing`, `receipts`, `presence`, `removed`, `requests`; `request`: the server said the requests
 *   folder changed, its count is current and `conversationId` names the request; reload the folder if shown)
 * @property {{conversationId: string | null, error: unknown}} syncError a refresh or gap fill failed (retried by
 *   {@link ChatStore#resync})
 */

/**
 * Unread bookkeeping of one conversation. The server's count covers every message up to `baseSeq` (a
 * snapshot: the conversation object, or a read watermark); messages above it are counted here one `seq` at a time,
 * so an event seen twice (live, then again in catch-up) is counted once, and a delete or a read elsewhere moves
 * the count exactly. Where a local answer is impossible (a delete below the snapshot of a message not known to be
 * read), the conversation is fetched again: its count and `last_seq` come from one statement.
 * @typedef {object} ConversationState
 * @property {Conversation} conv
 * @property {boolean} known a snapshot from the server was applied
 * @property {number} baseSeq
 * @property {string | null} baseId message id at baseSeq, when known (anchor of gap fills)
 * @property {number} baseUnread
 * @property {Map<number, {id: string, unread: boolean}>} entries seq above baseSeq, as seen
 * @property {Set<number>} deletedAbove seqs above baseSeq deleted before their message was seen
 * @property {number} top every seq in (baseSeq, top] has been seen
 * @property {number} lastSeq highest seq seen
 * @property {number | null} readSeq the caller's read watermark, when known
 * @property {Map<string, Message>} messages
 * @property {number | null} windowStart lowest seq of the history loaded with {@link ChatStore#loadHistory}
 * @property {boolean} hasOlder
 * @property {Map<string, number>} readBy other participants' read watermarks
 * @property {Map<string, Map<string, Set<string>>>} reactors per message, per emoji: users seen reacting live
 * @property {Map<string, {username: string, timer: ReturnType<typeof setTimeout>}>} typing
 * @property {Promise<void> | null} fetching
 * @property {boolean} fetchAgain
 * @property {boolean} stale a fetch of the conversation failed: {@link ChatStore#resync} tries again
 * @property {Set<string>} staleMessages messages whose fetch failed
 * @property {Promise<void> | null} filling
 */

const TYPING_TTL_MS = 10_000;

/**
 * The local view of conversations, messages, unread counts, receipts, typing and presence, kept from REST answers
 * and events (live or caught up; each applied idempotently). Listen to `change` and read the getters.
 *
 * @extends {Emitter<StoreEvents>}
 */
export class ChatStore extends Emitter {
  /**
   * @param {object} options
   * @param {ParleyClient} options.client
   */
  constructor({ client }) {
    super();
    this._client = client;
    /** @type {Map<string, ConversationState>} */
    this._conversations = new Map();
    /** @type {Map<string, Presence>} */
    this._presence = new Map();
    /** @type {string | null} */
    this._listCursor = null;
    this._listHasMore = false;
    this._listLoaded = false;
    /** @type {{count: number, unread_count: number}} */
    this._requests = { count: 0, unread_count: 0 };
  }

  get _me() {
    return this._client.user?.user_id ?? '';
  }

  // ---- Reading --------------------------------------------------------------------------------------------

  /**
   * Conversations, newest activity first, each with its exact `unread_count`.
   * @returns {Conversation[]}
   */
  conversations() {
    return [...this._conversations.values()].filter((s) => s.known).map((s) => this._view(s))
      .sort((a, b) => activity(b).localeCompare(activity(a)));
  }

  /** @param {string} conversationId @returns {Conversation | null} */
  conversation(conversationId) {
    const state = this._conversations.get(conversationId);
    return state?.known ? this._view(state) : null;
  }

  /** Unread messages over every conversation (muted ones included when `includeMuted`). */
  totalUnread(includeMuted = false) {
    let total = 0;
    for (const state of this._conversations.values()) {
      if (state.known && (includeMuted || !state.conv.is_muted)) {
        total += unreadOf(state);
      }
    }
    return total;
  }

  get hasMoreConversations() {
    return this._listHasMore;
  }

  /**
   * The requests folder, counted apart (its conversations are in no count above), as of the last list answer or
   * the last live `request.updated` frame (socket only; not in catch-up, so a reconnect lists again).
   * @returns {{count: number, unread_count: number}}
   */
  get requests() {
    return { ...this._requests };
  }

  /**
   * The messages held for a conversation, oldest first: the loaded history and everything since.
   * @param {string} conversationId
   * @returns {Message[]}
   */
  messages(conversationId) {
    const state = this._conversations.get(conversationId);
    if (!state) {
      return [];
    }
    const start = state.windowStart ?? -Infinity;
    return [...state.messages.values()].filter((m) => m.seq >= start).sort((a, b) => a.seq - b.seq);
  }

  /** @param {string} conversationId */
  hasOlder(conversationId) {
    return this._conversations.get(conversationId)?.hasOlder ?? true;
  }

  /**
   * Other participants who have read `message` (their read watermark reached its seq).
   * @param {Message} message
   * @returns {string[]} user ids
   */
  seenBy(message) {
    const state = this._conversations.get(message.conversation_id);
    if (!state) {
      return [];
    }
    return [...state.readBy].filter(([user, seq]) => user !== this._me && seq >= message.seq).map(([user]) => user);
  }

  /**
   * Who is typing in a conversation now.
   * @param {string} conversationId
   * @returns {{user_id: string, username: string}[]}
   */
  typing(conversationId) {
    const state = this._conversations.get(conversationId);
    return state ? [...state.typing].map(([user_id, t]) => ({ user_id, username: t.username })) : [];
  }

  /** @param {string} userId @returns {Presence | null} */
  presence(userId) {
    return this._presence.get(userId) ?? null;
  }

  // ---- Loading --------------------------------------------------------------------------------------------

  /**
   * The first page of conversations (again, after a reset), or the next one with `more`.
   * @param {{more?: boolean, limit?: number}} [options]
   */
  async loadConversations({ more = false, limit = 50 } = {}) {
    const page = await this._client.listConversations({ limit, before: more ? this._listCursor : null });
    for (const conversation of page.conversations) {
      this._applySnapshot(conversation);
    }
    this._listCursor = page.next_cursor ?? null;
    this._listHasMore = page.has_more;
    this._listLoaded = true;
    this._countRequests(page);
    this._changed(null, 'conversations');
  }

  /**
   * A page of the requests folder, newest first. They are not kept with the conversations (they are not the
   * caller's until accepted; a `request.updated` frame says when to load again); the count in {@link requests} is refreshed.
   * @param {{limit?: number, before?: string | null}} [options]
   * @returns {Promise<import('./types.js').ConversationPage>}
   */
  async loadRequests({ limit = 50, before = null } = {}) {
    const page = await this._client.listConversations({ folder: 'requests', limit, before });
    this._countRequests(page);
    this._changed(null, 'requests');
    return page;
  }

  /** @param {import('./types.js').ConversationPage} page */
  _countRequests(page) {
    if (page.requests) {
      this._requests = { count: page.requests.count, unread_count: page.requests.unread_count };
    }
  }

  /**
   * Loads a page of older history (the newest page the first time). Returns whether older messages remain.
   * @param {string} conversationId
   * @param {{limit?: number}} [options]
   */
  async loadHistory(conversationId, { limit = 50 } = {}) {
    const state = this._state(conversationId);
    const oldest = state.windowStart === null ? null
      : [...state.messages.values()].find((m) => m.seq === state.windowStart) ?? null;
    const page = await this._client.listMessages(conversationId, oldest ? { before_id: oldest.message_id, limit }
      : { limit });
    for (const message of page.messages) {
      this._applyMessage(message, 'history');
    }
    const lowest = page.messages.reduce((low, m) => Math.min(low, m.seq), state.windowStart ?? Infinity);
    state.windowStart = Number.isFinite(lowest) ? lowest : 0;
    state.hasOlder = page.has_more;
    this._changed(conversationId, 'messages');
    return page.has_more;
  }

  /**
   * Where other participants stand on the caller's newest message (for "Seen" before any receipt event).
   * @param {string} conversationId
   */
  async loadReceipts(conversationId) {
    const state = this._state(conversationId);
    const mine = [...state.messages.values()].filter((m) => m.sender_id === this._me && !m.is_deleted)
      .sort((a, b) => b.seq - a.seq)[0];
    if (!mine) {
      return;
    }
    for (const receipt of await this._client.receipts(mine.message_id)) {
      if (receipt.status === 'read') {
        this._raise(state.readBy, receipt.user_id, mine.seq);
      }
    }
    this._changed(conversationId, 'receipts');
  }

  /**
   * Marks the conversation read up to its newest message; the unread count follows from the server's answer.
   * @param {string} conversationId
   */
  async markRead(conversationId) {
    const state = this._conversations.get(conversationId);
    if (!state) {
      return;
    }
    const newest = [...state.messages.values()].sort((a, b) => b.seq - a.seq)[0] ?? state.conv.last_message;
    if (!newest || (state.readSeq !== null && state.readSeq >= newest.seq) || unreadOf(state) === 0
      && state.readSeq !== null) {
      return;
    }
    const read = await this._client.markRead(newest.message_id);
    this._advanceRead(state, read.last_read_seq);
    this._changed(conversationId, 'conversations');
  }

  /** @param {string} userId */
  async loadPresence(userId) {
    const presence = await this._client.presence(userId);
    this._presence.set(userId, presence);
    this._changed(null, 'presence');
    return presence;
  }

  /**
   * Adds a conversation the caller just created or opened (its answer is a snapshot).
   * @param {Conversation} conversation
   */
  addConversation(conversation) {
    this._applySnapshot(conversation);
    this._changed(conversation.conversation_id, 'conversations');
  }

  /** @param {string} conversationId */
  removeConversation(conversationId) {
    if (this._conversations.delete(conversationId)) {
      this._changed(conversationId, 'removed');
    }
  }

  /**
   * Tries again what failed for want of a network (a conversation or message fetch, a gap fill): call it when the
   * connection is back ({@link Parley} does, on every `online`).
   */
  resync() {
    if (!this._listLoaded) {
      this.loadConversations().catch((error) => this.emit('syncError', { conversationId: null, error }));
    }
    for (const [id, state] of this._conversations) {
      if (!state.known || state.stale) {
        this._refetch(id);
      }
      for (const messageId of state.staleMessages) {
        this._refetchMessage(state, messageId);
      }
      if (state.known) {
        this._fill(state);
      }
    }
  }

  /** Forgets everything (sign-out, or a catch-up reset before reloading). */
  clear() {
    for (const state of this._conversations.values()) {
      for (const t of state.typing.values()) {
        clearTimeout(t.timer);
      }
    }
    this._conversations.clear();
    this._presence.clear();
    this._listCursor = null;
    this._listHasMore = false;
    this._listLoaded = false;
    this._requests = { count: 0, unread_count: 0 };
    this._changed(null, 'reset');
  }

  // ---- Applying -------------------------------------------------------------------------------------------

  /**
   * A message the caller sent (acknowledged), or fetched by any means.
   * @param {Message} message
   */
  applyMessage(message) {
    this._applyMessage(message, 'live');
    this._changed(message.conversation_id, 'messages');
  }

  /**
   * Applies one event of the contract, live or from catch-up; applying one twice changes nothing more.
   * @param {ServerEvent} event
   * @param {'live' | 'sync'} [source]
   */
  applyEvent({ type, data }, source = 'live') {
    const conversationId = data?.conversation_id ?? null;
    switch (type) {
      case 'message.new':
      case 'message.updated':
        this._applyMessage(data.message, source);
        this._stopTyping(this._state(conversationId), data.message.sender_id);
        this._changed(conversationId, 'messages');
        return;
      case 'message.deleted':
        this._applyDelete(data);
        this._changed(conversationId, 'messages');
        return;
      case 'message.reaction':
        this._applyReaction(data, source);
        this._changed(conversationId, 'messages');
        return;
      case 'receipt.updated': {
        const state = this._state(conversationId);
        if (data.user_id === this._me) {
          this._advanceRead(state, data.last_read_seq);
          this._changed(conversationId, 'conversations');
        } else {
          this._raise(state.readBy, data.user_id, data.last_read_seq);
          this._changed(conversationId, 'receipts');
        }
        return;
      }
      case 'typing.indicator':
        if (data.user_id !== this._me) {
          this._applyTyping(data);
          this._changed(conversationId, 'typing');
        }
        return;
      case 'presence.updated':
        this._presence.set(data.user_id, { user_id: data.user_id, status: data.status,
          last_seen_at: data.last_seen_at });
        this._changed(null, 'presence');
        return;
      case 'conversation.updated': {
        const state = this._state(conversationId);
        state.conv = { ...state.conv, name: data.name, photo_url: data.photo_url, updated_at: data.updated_at };
        this._changed(conversationId, 'conversations');
        return;
      }
      case 'participant.added':
        // The membership preview and count cannot be patched twice-safely from the event: fetch the conversation
        // (for the added user, it is new).
        this._refetch(conversationId);
        return;
      case 'participant.removed':
        if (data.user_id === this._me) {
          this.removeConversation(conversationId);
        } else {
          this._refetch(conversationId);
        }
        return;
      case 'request.updated':
        // Live only (never in the catch-up log): the folder's exact counts after a request came, grew or was answered.
        this._requests = { count: data.requests.count, unread_count: data.requests.unread_count };
        this._changed(conversationId, 'request');
        return;
      default:
        // A newer server's event: nothing to keep.
    }
  }

  /**
   * @param {Message} message
   * @param {'live' | 'sync' | 'history'} source `live`: pushed, or the answer to the caller's own send or edit
   */
  _applyMessage(message, source) {
    const state = this._state(message.conversation_id);
    const held = state.messages.get(message.message_id);
    // Pushed messages carry no reactions (they change through message.reaction): keep the ones held. History and
    // catch-up read the message when asked, reactions included.
    const keep = held && (source === 'live' || message.reactions == null);
    const merged = keep ? { ...message, reactions: held.reactions } : message;
    if (held && !keep) {
      state.reactors.delete(message.message_id);
    }
    if (held?.is_deleted && !merged.is_deleted) {
      // A late copy of a message deleted since: the tombstone wins.
      return;
    }
    state.messages.set(message.message_id, merged);
    const seq = message.seq;
    if (seq > state.baseSeq && !state.entries.has(seq)) {
      const deleted = message.is_deleted || state.deletedAbove.has(seq);
      const unread = !deleted && message.type !== 'system' && message.sender_id !== this._me
        && !(state.readSeq !== null && seq <= state.readSeq);
      state.entries.set(seq, { id: message.message_id, unread });
      state.lastSeq = Math.max(state.lastSeq, seq);
      this._advanceTop(state);
      if (state.known && state.top < state.lastSeq) {
        this._fill(state);
      }
    } else if (state.entries.has(seq) && message.is_deleted) {
      /** @type {{id: string, unread: boolean}} */ (state.entries.get(seq)).unread = false;
    }
    const last = state.conv.last_message;
    if (!last || last.seq <= seq) {
      state.conv = { ...state.conv, last_message: merged, last_message_at: message.created_at,
        last_seq: Math.max(state.conv.last_seq ?? 0, seq) };
    }
  }

  /** @param {{conversation_id: string, message_id: string, seq: number, sender_id: string}} data */
  _applyDelete(data) {
    const state = this._state(data.conversation_id);
    const held = state.messages.get(data.message_id);
    if (held) {
      state.messages.set(data.message_id, tombstone(held));
    }
    if (state.conv.last_message?.message_id === data.message_id) {
      state.conv = { ...state.conv, last_message: tombstone(state.conv.last_message) };
    }
    if (data.seq > state.baseSeq) {
      const entry = state.entries.get(data.seq);
      if (entry) {
        entry.unread = false;
      } else {
        state.deletedAbove.add(data.seq);
      }
    } else if (data.sender_id !== this._me && !(state.readSeq !== null && data.seq <= state.readSeq)) {
      // Below the snapshot: whether the server's count already left it out depends on when the snapshot was
      // taken. Ask again rather than guess.
      this._refetch(data.conversation_id);
    }
  }

  /**
   * @param {{conversation_id: string, message_id: string, user_id: string, emoji: string,
   *   action: 'added' | 'removed'}} data
   * @param {'live' | 'sync'} source
   */
  _applyReaction(data, source) {
    const state = this._state(data.conversation_id);
    const message = state.messages.get(data.message_id);
    if (!message) {
      return; // not held: it arrives with its reactions when loaded
    }
    if (source === 'sync') {
      // Catch-up replays reactions that the held message may already count: take the server's totals.
      this._refetchMessage(state, data.message_id);
      return;
    }
    const mine = data.user_id === this._me;
    const reactions = [...(message.reactions ?? [])];
    const at = reactions.findIndex((r) => r.emoji === data.emoji);
    const current = at >= 0 ? reactions[at] : null;
    let byEmoji = state.reactors.get(data.message_id);
    if (!byEmoji) {
      byEmoji = new Map();
      state.reactors.set(data.message_id, byEmoji);
    }
    const users = byEmoji.get(data.emoji) ?? new Set();
    byEmoji.set(data.emoji, users);
    if (data.action === 'added') {
      if (users.has(data.user_id) || (mine && current?.reacted_by_me)) {
        return;
      }
      users.add(data.user_id);
      const next = { emoji: data.emoji, count: (current?.count ?? 0) + 1,
        reacted_by_me: Boolean(current?.reacted_by_me) || mine };
      if (current) {
        reactions[at] = next;
      } else {
        reactions.push(next);
      }
    } else {
      if (!current || (mine && !current.reacted_by_me)) {
        return;
      }
      users.delete(data.user_id);
      const count = current.count - 1;
      if (count <= 0) {
        reactions.splice(at, 1);
      } else {
        reactions[at] = { ...current, count, reacted_by_me: mine ? false : current.reacted_by_me };
      }
    }
    state.messages.set(message.message_id, { ...message, reactions });
  }

  /**
   * Applies the caller's own reaction at once (the server's event for it is then recognised and skipped).
   * @param {string} conversationId
   * @param {string} messageId
   * @param {string} emoji
   * @param {'added' | 'removed'} action
   */
  applyOwnReaction(conversationId, messageId, emoji, action) {
    this._applyReaction({ conversation_id: conversationId, message_id: messageId, user_id: this._me, emoji,
      action }, 'live');
    this._changed(conversationId, 'messages');
  }

  /** @param {{conversation_id: string, user_id: string, username: string, is_typing: boolean}} data */
  _applyTyping(data) {
    const state = this._state(data.conversation_id);
    this._stopTyping(state, data.user_id);
    if (data.is_typing) {
      const timer = setTimeout(() => {
        state.typing.delete(data.user_id);
        this._changed(data.conversation_id, 'typing');
      }, TYPING_TTL_MS);
      state.typing.set(data.user_id, { username: data.username, timer });
    }
  }

  /** @param {ConversationState} state @param {string} userId */
  _stopTyping(state, userId) {
    const typing = state.typing.get(userId);
    if (typing) {
      clearTimeout(typing.timer);
      state.typing.delete(userId);
    }
  }

  /**
   * The caller's read watermark moved (here, or on another device).
   * @param {ConversationState} state
   * @param {number} seq
   */
  _advanceRead(state, seq) {
    if (state.readSeq !== null && seq <= state.readSeq) {
      return;
    }
    state.readSeq = seq;
    if (seq >= state.baseSeq) {
      // Everything up to seq is read: the snapshot's count and the entries below seq no longer matter.
      const baseId = state.entries.get(seq)?.id ?? (seq === state.baseSeq ? state.baseId : null)
        ?? [...state.messages.values()].find((m) => m.seq === seq)?.message_id ?? null;
      this._rebase(state, seq, 0, baseId);
    } else if (state.known) {
      this._refetch(state.conv.conversation_id);
    }
  }

  /** @param {Conversation} conversation */
  _applySnapshot(conversation) {
    const state = this._state(conversation.conversation_id, conversation);
    const previousLast = state.conv.last_message;
    state.conv = { ...conversation };
    if (previousLast && conversation.last_message && previousLast.seq > conversation.last_message.seq) {
      // An answer older than a message already seen live: keep the newer preview.
      state.conv.last_message = previousLast;
      state.conv.last_message_at = previousLast.created_at;
    }
    const seq = conversation.last_seq ?? 0;
    if (state.known && seq < state.baseSeq) {
      // Older than the read watermark applied since: nothing to learn about the count.
      return;
    }
    state.known = true;
    this._rebase(state, seq, conversation.unread_count,
      conversation.last_message?.seq === seq ? conversation.last_message.message_id : null);
    if (state.top < state.lastSeq || state.windowStart !== null) {
      this._fill(state);
    }
  }

  /**
   * Moves the base to `seq`, whose unread count is known to be `unread`: what was counted up to it is dropped.
   * @param {ConversationState} state
   * @param {number} seq
   * @param {number} unread
   * @param {string | null} baseId
   */
  _rebase(state, seq, unread, baseId) {
    state.baseSeq = seq;
    state.baseUnread = unread;
    state.baseId = baseId;
    for (const s of state.entries.keys()) {
      if (s <= seq) {
        state.entries.delete(s);
      }
    }
    for (const s of state.deletedAbove) {
      if (s <= seq) {
        state.deletedAbove.delete(s);
      }
    }
    state.top = Math.max(state.top, seq);
    state.lastSeq = Math.max(state.lastSeq, seq);
    this._advanceTop(state);
  }

  /** @param {ConversationState} state */
  _advanceTop(state) {
    state.top = Math.max(state.top, state.baseSeq);
    while (state.entries.has(state.top + 1)) {
      state.top++;
    }
  }

  /**
   * Fetches the conversation again (coalesced: one request in flight, one more if asked meanwhile).
   * @param {string} conversationId
   */
  _refetch(conversationId) {
    const state = this._state(conversationId);
    if (state.fetching) {
      state.fetchAgain = true;
      return;
    }
    state.fetching = (async () => {
      try {
        do {
          state.fetchAgain = false;
          const conversation = await this._client.getConversation(conversationId);
          state.stale = false;
          this._applySnapshot(conversation);
          this._changed(conversationId, 'conversations');
        } while (state.fetchAgain);
      } catch (error) {
        if (/** @type {any} */ (error)?.code === 'CONVERSATION_NOT_FOUND') {
          this.removeConversation(conversationId);
        } else {
          state.stale = true;
          this.emit('syncError', { conversationId, error });
        }
      } finally {
        state.fetching = null;
      }
    })();
  }

  /**
   * @param {ConversationState} state
   * @param {string} messageId
   */
  _refetchMessage(state, messageId) {
    state.staleMessages.add(messageId);
    this._client.getMessage(messageId).then((message) => {
      state.staleMessages.delete(messageId);
      state.reactors.delete(messageId);
      this._applyMessage(message, 'history');
      this._changed(message.conversation_id, 'messages');
    }, (error) => {
      if (/** @type {any} */ (error)?.code === 'MESSAGE_NOT_FOUND') {
        state.staleMessages.delete(messageId);
      }
      this.emit('syncError', { conversationId: state.conv.conversation_id, error });
    });
  }

  /**
   * Fetches what is missing between the highest contiguous seq and the highest seen: a push is a hint, and a
   * `seq` gap means messages were missed. From the anchor message when its id is known, else from the newest
   * page backwards.
   * @param {ConversationState} state
   */
  _fill(state) {
    if (state.filling) {
      return;
    }
    const conversationId = state.conv.conversation_id;
    state.filling = (async () => {
      try {
        let rounds = 0;
        while (rounds++ < 50) {
          const before = state.top;
          const newest = newestHeld(state);
          const heldTop = newest?.seq ?? -1;
          /** @type {string | null | undefined} */
          let anchor;
          if (state.top < state.lastSeq) {
            anchor = state.entries.get(state.top)?.id ?? (state.top === state.baseSeq ? state.baseId : null)
              ?? [...state.messages.values()].find((m) => m.seq === state.top)?.message_id ?? null;
          } else if (state.windowStart !== null && heldTop < state.lastSeq) {
            // Counted, but not held: an open conversation shows every message, so fetch them for display.
            anchor = newest?.message_id ?? null;
          } else {
            break;
          }
          if (anchor) {
            const page = await this._client.listMessages(conversationId, { after_id: anchor, limit: 100 });
            for (const message of page.messages) {
              this._applyMessage(message, 'history');
            }
          } else {
            await this._fillBackwards(state);
          }
          this._changed(conversationId, 'messages');
          if (state.top === before && (newestHeld(state)?.seq ?? -1) === heldTop) {
            break; // nothing new: the missing seqs are not visible to this user (yet)
          }
        }
      } catch (error) {
        this.emit('syncError', { conversationId, error });
      } finally {
        state.filling = null;
      }
    })();
  }

  /** @param {ConversationState} state */
  async _fillBackwards(state) {
    /** @type {string | undefined} */
    let beforeId;
    for (let pages = 0; pages < 20; pages++) {
      const page = await this._client.listMessages(state.conv.conversation_id, { before_id: beforeId, limit: 100 });
      for (const message of page.messages) {
        this._applyMessage(message, 'history');
      }
      const oldest = page.messages[page.messages.length - 1];
      if (!page.has_more || !oldest || oldest.seq <= state.top + 1) {
        return;
      }
      beforeId = oldest.message_id;
    }
  }

  /**
   * The state of a conversation, created as a placeholder (and fetched) when first heard of.
   * @param {string} conversationId
   * @param {Conversation} [snapshot]
   * @returns {ConversationState}
   */
  _state(conversationId, snapshot) {
    let state = this._conversations.get(conversationId);
    if (!state) {
      state = {
        conv: snapshot ?? placeholder(conversationId),
        known: false,
        baseSeq: 0,
        baseId: null,
        baseUnread: 0,
        entries: new Map(),
        deletedAbove: new Set(),
        top: 0,
        lastSeq: 0,
        readSeq: null,
        messages: new Map(),
        windowStart: null,
        hasOlder: true,
        readBy: new Map(),
        reactors: new Map(),
        typing: new Map(),
        fetching: null,
        fetchAgain: false,
        stale: false,
        staleMessages: new Set(),
        filling: null,
      };
      this._conversations.set(conversationId, state);
      if (!snapshot) {
        this._refetch(conversationId);
      }
    }
    return state;
  }

  /**
   * @param {Map<string, number>} map
   * @param {string} key
   * @param {number} value
   */
  _raise(map, key, value) {
    map.set(key, Math.max(map.get(key) ?? 0, value));
  }

  /** @param {ConversationState} state @returns {Conversation} */
  _view(state) {
    return { ...state.conv, unread_count: unreadOf(state) };
  }

  /** @param {string | null} conversationId @param {string} kind */
  _changed(conversationId, kind) {
    this.emit('change', { conversationId, kind });
  }
}

/** @param {ConversationState} state */
function unreadOf(state) {
  let count = state.baseUnread;
  for (const entry of state.entries.values()) {
    if (entry.unread) {
      count++;
    }
  }
  return count;
}

/** @param {ConversationState} state */
function newestHeld(state) {
  /** @type {Message | null} */
  let newest = null;
  for (const message of state.messages.values()) {
    if (!newest || message.seq > newest.seq) {
      newest = message;
    }
  }
  return newest;
}

/** @param {Conversation} c */
function activity(c) {
  return c.last_message_at ?? c.created_at ?? '';
}

/** @param {Message} message @returns {Message} */
function tombstone(message) {
  return { ...message, is_deleted: true, content: null, attachments: [], metadata: null };
}

/** @param {string} conversationId @returns {Conversation} */
function placeholder(conversationId) {
  return {
    conversation_id: conversationId, type: 'direct', name: null, photo_url: null, created_by: '', created_at: '',
    updated_at: '', last_message_at: null, last_message: null, unread_count: 0, is_muted: false, my_role: 'member',
    last_seq: 0, participants: [], participant_count: 0,
  };
}
