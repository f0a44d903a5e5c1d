// Web Push opt-in: the service worker (/sw.js), the browser's push subscription with the server's VAPID key,
// and the `webpush` device that carries it, which is deleted again when the person signs out here.
import { base64UrlBytes, tagOf } from './push-view.js';

/** @typedef {import('parley-client').ParleyClient} ParleyClient */

const KEY = 'parley.push.device';

/** Whether this browser can take Web Push at all (a secure context with service workers and the Push API). */
export function pushSupported() {
  return window.isSecureContext && 'serviceWorker' in navigator && 'PushManager' in window
    && 'Notification' in window;
}

/**
 * Whether pushes are on for this user in this browser: a device registered here and permission still granted.
 * @param {string} userId
 */
export function pushEnabled(userId) {
  return pushSupported() && Notification.permission === 'granted' && saved()?.user_id === userId;
}

/**
 * Asks for permission, subscribes with the server's VAPID key and registers the subscription as a `webpush`
 * device. Throws an Error with a readable message when the browser or the person says no.
 * @param {ParleyClient} client signed in
 * @returns {Promise<string>} the device id
 */
export async function enablePush(client) {
  if (!pushSupported()) {
    throw new Error('This browser cannot show notifications from Parley.');
  }
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    throw new Error('Notifications are blocked for this site in the browser settings.');
  }
  const key = base64UrlBytes(await client.webPushKey());
  await navigator.serviceWorker.register('/sw.js', { type: 'module', scope: '/' });
  const registration = await navigator.serviceWorker.ready;
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, key)) {
    // Subscribed with another server key (the server's pair changed): that subscription can no longer be used.
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const json = subscription.toJSON();
  if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth) {
    throw new Error('The browser gave an incomplete push subscription.');
  }
  const { device } = await client.registerDevice({
    platform: 'webpush',
    subscription: { endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } },
    locale: navigator.language,
  });
  localStorage.setItem(KEY, JSON.stringify({ user_id: client.user?.user_id, device_id: device.device_id }));
  return device.device_id;
}

/**
 * Turns pushes off here: deletes the device on the server (while still signed in; a device already gone is
 * fine) and drops the browser's subscription, so the next person to sign in here gets none of these pushes.
 * @param {ParleyClient | null} client signed in, or null when the session already ended (then only locally)
 */
export async function disablePush(client) {
  const device = saved();
  localStorage.removeItem(KEY);
  if (client && device) {
    try {
      await client.deleteDevice(device.device_id);
    } catch {
      // DEVICE_NOT_FOUND (pruned, or moved to another account) or offline: the subscription goes below anyway,
      // and the server prunes a device whose endpoint answers 404/410.
    }
  }
  if (pushSupported()) {
    const registration = await navigator.serviceWorker.getRegistration('/');
    const subscription = await registration?.pushManager.getSubscription();
    await subscription?.unsubscribe();
  }
}

/**
 * Closes this browser's notification of a conversation (read here: the server's `conversation.read` push goes
 * only to the reader's other devices).
 * @param {string} conversationId
 */
export async function clearNotifications(conversationId) {
  if (!pushSupported()) {
    return;
  }
  const registration = await navigator.serviceWorker.getRegistration('/');
  const shown = await registration?.getNotifications({ tag: tagOf(conversationId) });
  shown?.forEach((notification) => notification.close());
}

/** @returns {{user_id: string, device_id: string} | null} */
function saved() {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? 'null');
  } catch {
    return null;
  }
}

/** @param {PushSubscription} subscription @param {Uint8Array<ArrayBuffer>} key */
function sameKey(subscription, key) {
  const current = subscription.options.applicationServerKey;
  if (!current) {
    return false;
  }
  const bytes = new Uint8Array(current);
  return bytes.length === key.length && bytes.every((b, i) => b === key[i]);
}
