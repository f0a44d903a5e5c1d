// What a Web Push from Parley shows: pure functions shared by the service worker (/sw.js) and the tests, no DOM.
// The payload is the contract's: `message.new` {conversation_id, message_id, seq, badge, title?, body?} (title and
// body by the user's preview setting) or the data-only `conversation.read` {conversation_id, badge}.

/** @typedef {import('parley-client').PushPayload} PushPayload */

/**
 * The push's JSON when it is one of Parley's, else null (a push service may deliver anything to an endpoint).
 * @param {unknown} data parsed JSON
 * @returns {PushPayload | null}
 */
export function parsePush(data) {
  if (!data || typeof data !== 'object') {
    return null;
  }
  const payload = /** @type {{[key: string]: unknown}} */ (data);
  if ((payload.type !== 'message.new' && payload.type !== 'conversation.read')
      || typeof payload.conversation_id !== 'string') {
    return null;
  }
  return /** @type {PushPayload} */ (payload);
}

/**
 * The notification of a `message.new` push: one per conversation (its tag), so a burst replaces rather than
 * stacks, as the server's collapse id does at the push service. With previews `none` there is no title or body.
 * @param {PushPayload} payload
 * @returns {{title: string, options: {body: string, tag: string, renotify: boolean, icon?: string,
 *   data: {conversation_id: string, message_id?: string, seq?: number}}}}
 */
export function notificationOf(payload) {
  return {
    title: payload.title ?? 'Parley',
    options: {
      body: payload.body ?? (payload.title ? '' : 'New message'),
      tag: tagOf(payload.conversation_id),
      renotify: true,
      data: { conversation_id: payload.conversation_id, message_id: payload.message_id, seq: payload.seq },
    },
  };
}

/**
 * The tag of a conversation's notification: `conversation.read` closes the notifications with this tag.
 * @param {string} conversationId
 */
export function tagOf(conversationId) {
  return `parley:${conversationId}`;
}

/**
 * A base64url string (the VAPID key) as bytes, for `pushManager.subscribe`'s `applicationServerKey`.
 * @param {string} text
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function base64UrlBytes(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}
