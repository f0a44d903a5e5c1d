// Parley's JavaScript SDK: plain ES modules for browsers and Node 20+, typed with JSDoc (checked by tsc).
export { Parley, scope } from './parley.js';
export { ParleyClient } from './client.js';
export { RealtimeConnection } from './realtime.js';
export { Outbox } from './outbox.js';
export { ChatStore } from './store.js';
export { TypingNotifier } from './typing.js';
export { uploadImage } from './upload.js';
export { MemoryStorage, WebStorage } from './storage.js';
export { ParleyError, NetworkError, SignedOutError, isRetryable } from './errors.js';
export { Emitter } from './emitter.js';
export { backoffDelay, randomId } from './util.js';

/**
 * @typedef {import('./types.js').User} User
 * @typedef {import('./types.js').Session} Session
 * @typedef {import('./types.js').TokenResponse} TokenResponse
 * @typedef {import('./types.js').Conversation} Conversation
 * @typedef {import('./types.js').Participant} Participant
 * @typedef {import('./types.js').Message} Message
 * @typedef {import('./types.js').Attachment} Attachment
 * @typedef {import('./types.js').ReactionSummary} ReactionSummary
 * @typedef {import('./types.js').ReadState} ReadState
 * @typedef {import('./types.js').Receipt} Receipt
 * @typedef {import('./types.js').Presence} Presence
 * @typedef {import('./types.js').ServerEvent} ServerEvent
 * @typedef {import('./types.js').KeyValueStorage} KeyValueStorage
 * @typedef {import('./types.js').Device} Device
 * @typedef {import('./types.js').DeviceRegistration} DeviceRegistration
 * @typedef {import('./types.js').RegisterDeviceBody} RegisterDeviceBody
 * @typedef {import('./types.js').WebPushSubscription} WebPushSubscription
 * @typedef {import('./types.js').NotificationSettings} NotificationSettings
 * @typedef {import('./types.js').PushPayload} PushPayload
 * @typedef {import('./realtime.js').ConnectionState} ConnectionState
 * @typedef {import('./outbox.js').OutboxItem} OutboxItem
 * @typedef {import('./upload.js').UploadOptions} UploadOptions
 */
