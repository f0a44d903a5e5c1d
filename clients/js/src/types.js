// The wire contract's objects as JSDoc types (snake_case, as the server sends them). This module has no code;
// `import('./types.js').Message` and friends name the shapes everywhere else, and `tsc` checks them.

/**
 * @typedef {object} User
 * @property {string} user_id
 * @property {string | null} username null for a deleted account
 * @property {string} display_name
 * @property {string | null} profile_photo_url
 * @property {boolean} [is_deleted]
 */

/**
 * @typedef {object} TokenResponse
 * @property {User} user
 * @property {string} access_token
 * @property {'Bearer'} token_type
 * @property {number} expires_in seconds
 * @property {string} refresh_token
 */

/**
 * What the SDK keeps of a signed-in session (persisted when a storage is given).
 * @typedef {object} Session
 * @property {User} user
 * @property {string} access_token
 * @property {string} refresh_token
 * @property {number} expires_at epoch milliseconds
 */

/**
 * @typedef {object} Participant
 * @property {User} user
 * @property {'owner' | 'admin' | 'member'} role
 * @property {string} joined_at
 */

/**
 * @typedef {object} ReactionSummary
 * @property {string} emoji
 * @property {number} count
 * @property {boolean} reacted_by_me
 */

/**
 * @typedef {object} ReplyPreview
 * @property {string} message_id
 * @property {string} sender_id
 * @property {string | null} content
 */

/**
 * @typedef {object} Attachment
 * @property {string} attachment_id
 * @property {string} [file_type]
 * @property {string} mime_type
 * @property {string} [file_name]
 * @property {number} [file_size]
 * @property {number | null} [width]
 * @property {number | null} [height]
 * @property {'pending' | 'processing' | 'completed' | 'failed' | 'rejected' | string} upload_status
 * @property {string | null} [url]
 * @property {string | null} [thumbnail_url]
 * @property {string | null} [blurhash]
 * @property {string} [failure_reason]
 */

/**
 * `metadata` of an image message (the thumbnail may arrive later through `message.updated`); of a system
 * message: `action`, `actor_id`, `target_id`.
 * @typedef {{[key: string]: any}} MessageMetadata
 */

/**
 * @typedef {object} Message
 * @property {string} message_id
 * @property {string} conversation_id
 * @property {number} seq
 * @property {string} sender_id
 * @property {User} [sender]
 * @property {'text' | 'image' | 'system'} type
 * @property {string | null} content
 * @property {MessageMetadata | null} metadata
 * @property {ReplyPreview | null} reply_to
 * @property {Attachment[]} attachments
 * @property {ReactionSummary[] | null} reactions absent on pushed messages (keep the ones you have)
 * @property {boolean} is_edited
 * @property {string | null} edited_at
 * @property {boolean} is_deleted
 * @property {string} created_at
 * @property {string | null} [expires_at]
 */

/**
 * @typedef {object} Conversation
 * @property {string} conversation_id
 * @property {'direct' | 'group'} type
 * @property {string | null} name
 * @property {string | null} photo_url
 * @property {string} created_by
 * @property {string} created_at
 * @property {string} updated_at
 * @property {string | null} last_message_at
 * @property {Message | null} last_message
 * @property {number} unread_count
 * @property {boolean} is_muted
 * @property {string | null} [muted_until]
 * @property {'owner' | 'admin' | 'member'} my_role
 * @property {number} last_seq
 * @property {Participant[]} participants the first 10 active participants, in join order
 * @property {number} participant_count
 * @property {boolean} [is_request] true only for the recipient of a request waiting in their requests folder
 */

/**
 * @typedef {object} ConversationPage
 * @property {Conversation[]} conversations
 * @property {boolean} has_more
 * @property {string | null} [next_cursor] pass back as `before`
 * @property {{count: number, unread_count: number}} [requests] the requests folder, counted apart
 */

/**
 * @typedef {object} Contact
 * @property {User} user
 * @property {'accepted' | 'incoming' | 'outgoing'} status
 * @property {string} since
 */

/**
 * @typedef {object} ContactPage
 * @property {Contact[]} contacts
 * @property {boolean} has_more
 * @property {string | null} next_cursor

/**
 * @typedef {object} ParticipantPage
 * @property {Participant[]} participants
 * @property {boolean} has_more
 * @property {string | null} next_cursor
 */

/**
 * @typedef {object} MessagePage
 * @property {Message[]} messages newest first with `before_id` (or neither), oldest first with `after_id`
 * @property {boolean} has_more
 * @property {string | null} [next_cursor] search results only
 */

/**
 * @typedef {object} ReadState
 * @property {string} conversation_id
 * @property {number} last_read_seq
 * @property {number} unread_count
 */

/**
 * @typedef {object} Receipt
 * @property {string} user_id
 * @property {string | null} delivered_at
 * @property {string | null} read_at
 * @property {'sent' | 'delivered' | 'read'} status
 */

/**
 * @typedef {object} UploadTicket
 * @property {string} attachment_id
 * @property {string} upload_url
 * @property {'PUT'} method
 * @property {{[name: string]: string}} headers send as given (the SDK leaves out those a browser sets itself)
 * @property {number} expires_in seconds
 */

/**
 * @typedef {object} Presence
 * @property {string} user_id
 * @property {'online' | 'away' | 'offline'} status
 * @property {string | null} last_seen_at
 * @property {number} [device_count]
 */

/**
 * @typedef {object} SessionInfo
 * @property {string} session_id
 * @property {string} created_at
 * @property {string | null} last_used_at
 * @property {string | null} user_agent
 * @property {boolean} current
 */

/**
 * One event of the catch-up log or the socket: `{type, data}`; from sync also `event_id` (the cursor after it).
 * @typedef {object} ServerEvent
 * @property {string} type
 * @property {any} data
 * @property {string} [event_id]
 */

/**
 * @typedef {object} SyncPage
 * @property {ServerEvent[]} events
 * @property {string | null} next_cursor
 * @property {boolean} has_more
 */

/**
 * A browser's push subscription as `PushSubscription.toJSON()` gives it.
 * @typedef {object} WebPushSubscription
 * @property {string} endpoint https (plain http only on loopback, when the server allows it for development)
 * @property {{p256dh: string, auth: string}} keys base64url
 */

/**
 * `POST /devices`: `token` for `fcm` and `apns`, `subscription` for `webpush`.
 * @typedef {object} RegisterDeviceBody
 * @property {'fcm' | 'apns' | 'webpush'} platform
 * @property {string} [token]
 * @property {WebPushSubscription} [subscription]
 * @property {string} [locale] e.g. `en-GB`
 */

/**
 * @typedef {object} DeviceRegistration
 * @property {string} device_id
 * @property {'fcm' | 'apns' | 'webpush'} platform
 * @property {string} created_at
 */

/**
 * @typedef {object} Device
 * @property {string} device_id
 * @property {'fcm' | 'apns' | 'webpush'} platform
 * @property {string | null} locale
 * @property {string} created_at
 */

/**
 * @typedef {object} NotificationSettings
 * @property {'full' | 'sender' | 'none'} previews
 */

/**
 * What a push carries (Web Push: the decrypted JSON; FCM: `data`): `message.new` with, by the user's previews,
 * `title` and `body`; or the data-only `conversation.read`, which clears that conversation's notifications.
 * @typedef {object} PushPayload
 * @property {'message.new' | 'conversation.read'} type
 * @property {string} conversation_id
 * @property {string} [message_id]
 * @property {number} [seq]
 * @property {number} badge exact unread total over unmuted conversations
 * @property {string} [title]
 * @property {string} [body]
 */

/**
 * Where the SDK keeps what must survive a reload: the session, the sync cursor, the outbox. Methods may return
 * promises (an IndexedDB adapter) or plain values. Values are JSON-serialisable.
 * @typedef {object} KeyValueStorage
 * @property {(key: string) => any} get
 * @property {(key: string, value: any) => any} set
 * @property {(key: string) => any} remove
 */

/**
 * The WebSocket constructor to use: the global one in browsers and Node 22+, or `ws` in Node 20.
 * @typedef {new (url: string, protocols?: string | string[]) => WebSocket} WebSocketConstructor
 */

export {};
