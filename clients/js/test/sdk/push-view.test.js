// What the web app's service worker makes of Parley's push payloads (pure functions, no server, no browser).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  base64UrlBytes, notificationOf, parsePush, tagOf,
} from '../../../../src/main/resources/static/app/push-view.js';

const CONVERSATION = '0193b3a0-0000-7000-8000-000000000001';

test('only Parley payloads are taken', () => {
  assert.equal(parsePush(null), null);
  assert.equal(parsePush('text'), null);
  assert.equal(parsePush({ type: 'message.new' }), null);
  assert.equal(parsePush({ type: 'other', conversation_id: CONVERSATION }), null);
  const read = { type: 'conversation.read', conversation_id: CONVERSATION, badge: 0 };
  assert.deepEqual(parsePush(read), read);
});

test('a message with full previews shows its title and text, one notification per conversation', () => {
  const { title, options } = notificationOf({ type: 'message.new', conversation_id: CONVERSATION,
    message_id: 'm1', seq: 7, badge: 3, title: 'Weekend', body: 'Who is in?' });
  assert.equal(title, 'Weekend');
  assert.equal(options.body, 'Who is in?');
  assert.equal(options.tag, tagOf(CONVERSATION));
  assert.equal(options.renotify, true);
  assert.deepEqual(options.data, { conversation_id: CONVERSATION, message_id: 'm1', seq: 7 });
});

test('previews "sender" show the title only; "none" a neutral notification', () => {
  const sender = notificationOf({ type: 'message.new', conversation_id: CONVERSATION, badge: 1, title: 'Bob' });
  assert.deepEqual([sender.title, sender.options.body], ['Bob', '']);
  const none = notificationOf({ type: 'message.new', conversation_id: CONVERSATION, badge: 1 });
  assert.deepEqual([none.title, none.options.body], ['Parley', 'New message']);
});

test('a VAPID key in base64url becomes the bytes pushManager.subscribe wants', () => {
  const bytes = Buffer.from([4, ...Array.from({ length: 64 }, (_, i) => (i * 37) % 256)]);
  assert.deepEqual(Buffer.from(base64UrlBytes(bytes.toString('base64url'))), bytes);
});
