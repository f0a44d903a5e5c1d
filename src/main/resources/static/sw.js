// Parley's service worker (scope /): shows the notifications of Parley's Web Push payloads and clears a
// conversation's notification when a `conversation.read` push says it was read on another device. No fetch
// handler: it never stands between the page and the server.
import { notificationOf, parsePush, tagOf } from './app/push-view.js';

/**
 * The parts of the service worker's global scope used here (tsc checks the page's files with the DOM library).
 * @typedef {{waitUntil(promise: Promise<unknown>): void}} ExtendableEvent
 * @typedef {ExtendableEvent & {data: {json(): unknown} | null}} PushEvent
 * @typedef {ExtendableEvent & {notification: Notification & {data: any}}} NotificationEvent
 * @typedef {{focused: boolean, url: string, focus(): Promise<unknown>, postMessage(message: unknown): void}}
 *   WindowClient
 * @typedef {object} WorkerScope
 * @property {(type: string, listener: (event: any) => void) => void} addEventListener
 * @property {ServiceWorkerRegistration} registration
 * @property {{matchAll(options: object): Promise<WindowClient[]>, openWindow(url: string): Promise<unknown>,
 *   claim(): Promise<void>}} clients
 * @property {() => Promise<void>} skipWaiting
 */
const worker = /** @type {WorkerScope} */ (/** @type {unknown} */ (self));

worker.addEventListener('install', (/** @type {ExtendableEvent} */ event) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener('activate', (/** @type {ExtendableEvent} */ event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener('push', (/** @type {PushEvent} */ event) => {
  let data = null;
  try {
    data = event.data?.json();
  } catch {
    // Not JSON: not one of Parley's.
  }
  event.waitUntil(onPush(parsePush(data)));
});

worker.addEventListener('notificationclick', (/** @type {NotificationEvent} */ event) => {
  event.notification.close();
  event.waitUntil(openApp(event.notification.data?.conversation_id));
});

/** @param {import('parley-client').PushPayload | null} payload */
async function onPush(payload) {
  if (!payload) {
    return;
  }
  await setBadge(payload.badge);
  if (payload.type === 'conversation.read') {
    const shown = await worker.registration.getNotifications({ tag: tagOf(payload.conversation_id) });
    shown.forEach((notification) => notification.close());
    return;
  }
  const { title, options } = notificationOf(payload);
  await worker.registration.showNotification(title, options);
}

/** The app icon's count where the platform has one. @param {number} badge */
async function setBadge(badge) {
  const nav = /** @type {{setAppBadge?: (n: number) => Promise<void>, clearAppBadge?: () => Promise<void>}} */
    (/** @type {unknown} */ (navigator));
  try {
    if (badge > 0) {
      await nav.setAppBadge?.(badge);
    } else {
      await nav.clearAppBadge?.();
    }
  } catch {
    // Badges are a nicety; some platforms refuse them.
  }
}

/** Focuses an open window of the app (telling it which conversation), or opens one. @param {string} [id] */
async function openApp(id) {
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows[0];
  if (open) {
    open.postMessage({ type: 'parley.open', conversation_id: id });
    await open.focus();
    return;
  }
  await worker.clients.openWindow(id ? `/?conversation=${encodeURIComponent(id)}` : '/');
}
