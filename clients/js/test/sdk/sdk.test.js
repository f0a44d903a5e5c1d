// The SDK against a real Parley (the packaged jar on an embedded PostgreSQL), through its public API only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ChatStore, MemoryStorage, NetworkError, Parley, ParleyClient, ParleyError, TypingNotifier, backoffDelay,
} from '../../src/index.js';
import {
  connectionReaches, newDevice, newUser, noisePng, stopAll, track, uniqueName, waitFor,
} from '../support/helpers.js';
import { startProxy } from '../support/proxy.js';
import { startParley } from '../support/server.js';
import WebSocket from 'ws';
import { createECDH, randomBytes } from 'node:crypto';

/** @type {Awaited<ReturnType<typeof startParley>>} */
let server;
before(async () => {
  server = await startParley();
});

after(async () => {
  stopAll();
  await server?.stop();
});

/**
 * Alice and Bob, signed in, with a direct conversation.
 * @param {{aliceUrl?: string, bobUrl?: string}} [urls] to put a proxy in front of one of them
 */
async function pair({ aliceUrl, bobUrl } = {}) {
  const alice = await newUser(aliceUrl ?? server.baseUrl, 'alice');
  const bob = await newUser(bobUrl ?? server.baseUrl, 'bob');
  track(alice.parley);
  track(bob.parley);
  const conversation = await alice.parley.openDirect(bob.id);
  return { alice, bob, conversationId: conversation.conversation_id };
}

/** Every message of a conversation as the server has it, oldest first. @param {ParleyClient} client @param {string} id */
async function history(client, id) {
  /** @type {import('../../src/types.js').Message[]} */
  const all = [];
  /** @type {string | undefined} */
  let beforeId;
  for (;;) {
    const page = await client.listMessages(id, { before_id: beforeId, limit: 100 });
    all.push(...page.messages);
    if (!page.has_more) {
      return all.reverse();
    }
    beforeId = page.messages[page.messages.length - 1].message_id;
  }
}

describe('REST', () => {
  test('errors carry the contract code, message, details and status', async () => {
    const { parley, username } = await newUser(server.baseUrl, 'errs');
    const other = new ParleyClient({ baseUrl: server.baseUrl });
    await assert.rejects(other.register({ username, password: 'correct horse battery' }), (error) => {
      assert.ok(error instanceof ParleyError);
      assert.equal(error.status, 409);
      assert.equal(error.code, 'CONFLICT');
      return true;
    });
    await assert.rejects(parley.client.getConversation('00000000-0000-7000-8000-000000000000'), (error) => {
      assert.ok(error instanceof ParleyError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'CONVERSATION_NOT_FOUND');
      return true;
    });
    await assert.rejects(other.register({ username: 'x', password: 'short' }), (error) => {
      assert.ok(error instanceof ParleyError);
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.equal(typeof error.details.field, 'string');
      return true;
    });
    const unreachable = new ParleyClient({ baseUrl: 'http://127.0.0.1:9' });
    await assert.rejects(unreachable.login({ username: 'a', password: 'b' }), NetworkError);
  });

  test('a refused send over the limit carries Retry-After', async () => {
    const { parley: alice } = await newUser(server.baseUrl, 'limit');
    const { id: bobId } = await newUser(server.baseUrl, 'limitee');
    const conversation = await alice.openDirect(bobId);
    /** @type {ParleyError | null} */
    let refused = null;
    for (let i = 0; i < 70 && !refused; i++) {
      try {
        await alice.client.sendMessage(conversation.conversation_id, { content: `m${i}` });
      } catch (error) {
        refused = /** @type {ParleyError} */ (error);
      }
    }
    assert.ok(refused instanceof ParleyError);
    assert.equal(refused.status, 429);
    assert.equal(refused.code, 'RATE_LIMIT_EXCEEDED');
    assert.ok(refused.retryAfter !== null && refused.retryAfter >= 1, `Retry-After ${refused.retryAfter}`);
    assert.ok(refused.retryable);
  });

  test('a repeated client_message_id returns the stored message with 200', async () => {
    const { alice, conversationId } = await pair();
    const first = await alice.parley.client.sendMessage(conversationId, { content: 'once', client_message_id: 'k1' });
    const again = await alice.parley.client.sendMessage(conversationId, { content: 'once', client_message_id: 'k1' });
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.message.message_id, first.message.message_id);
  });
});

describe('real time and the store', () => {
  test('messages arrive live; unread counts stay exact through reads elsewhere and deletes', async () => {
    const { alice, bob, conversationId } = await pair();
    await connectionReaches(bob.parley, 'online');
    const bobPhone = track(await newDevice(server.baseUrl, bob.username));
    await connectionReaches(bobPhone, 'online');

    await alice.parley.send(conversationId, 'one');
    await alice.parley.send(conversationId, 'two');
    await alice.parley.send(conversationId, 'three');
    await alice.parley.outbox?.drained();

    const unread = () => bob.parley.store.conversation(conversationId)?.unread_count;
    await waitFor(() => unread() === 3, { message: 'bob sees 3 unread' });
    assert.deepEqual(bob.parley.store.messages(conversationId).map((m) => m.content), ['one', 'two', 'three']);

    // Alice deletes an unread message: one fewer.
    const two = alice.parley.store.messages(conversationId).find((m) => m.content === 'two');
    assert.ok(two);
    await alice.parley.delete(two);
    await waitFor(() => unread() === 2, { message: 'a delete lowers the count' });

    // Bob reads on his phone: his laptop's count drops to 0 from the receipt event.
    await waitFor(() => bobPhone.store.messages(conversationId).length === 3, { message: 'the phone has them' });
    await bobPhone.store.markRead(conversationId);
    await waitFor(() => unread() === 0, { message: 'a read elsewhere clears the count' });

    // Alice sees "Seen": Bob's read watermark reached her last message.
    const three = alice.parley.store.messages(conversationId).find((m) => m.content === 'three');
    assert.ok(three);
    await waitFor(() => alice.parley.store.seenBy(three).includes(bob.id), { message: 'seen by bob' });

    // A message after the read counts again, and the server agrees with every count the store shows.
    await alice.parley.send(conversationId, 'four');
    await waitFor(() => unread() === 1, { message: 'a new message counts' });
    const fromServer = await bob.parley.client.getConversation(conversationId);
    assert.equal(fromServer.unread_count, 1);
    assert.equal(bob.parley.store.totalUnread(), 1);
  });

  test('reactions, edits and typing reach the other side', async () => {
    const { alice, bob, conversationId } = await pair();
    await connectionReaches(alice.parley, 'online');
    await connectionReaches(bob.parley, 'online');
    await alice.parley.send(conversationId, 'react to me');
    const message = await waitFor(() => bob.parley.store.messages(conversationId)[0]);

    await bob.parley.toggleReaction(message, '👍');
    await waitFor(() => alice.parley.store.messages(conversationId)[0]?.reactions?.[0]?.count === 1,
      { message: 'alice sees the reaction' });
    const onBob = bob.parley.store.messages(conversationId)[0];
    assert.deepEqual(onBob.reactions, [{ emoji: '👍', count: 1, reacted_by_me: true }]);

    const mine = alice.parley.store.messages(conversationId)[0];
    await alice.parley.edit(mine, 'edited');
    await waitFor(() => bob.parley.store.messages(conversationId)[0]?.content === 'edited', { message: 'edit' });
    // The pushed edit has no reactions: the held ones stay.
    assert.equal(bob.parley.store.messages(conversationId)[0].reactions?.[0]?.count, 1);

    alice.parley.typing?.keystroke(conversationId);
    await waitFor(() => bob.parley.store.typing(conversationId).length === 1, { message: 'typing shown' });
    alice.parley.typing?.stop(conversationId);
    await waitFor(() => bob.parley.store.typing(conversationId).length === 0, { message: 'typing ended' });
  });

  test('a network cut in the middle of a burst loses nothing and repeats nothing', async () => {
    const aliceProxy = await startProxy(server.port);
    const bobProxy = await startProxy(server.port);
    try {
      const { alice, bob, conversationId } = await pair({ aliceUrl: aliceProxy.baseUrl, bobUrl: bobProxy.baseUrl });
      await connectionReaches(alice.parley, 'online');
      await connectionReaches(bob.parley, 'online');
      /** @type {string[]} */
      const delivered = [];
      bob.parley.connection?.on('event', (event) => {
        if (event.type === 'message.new') {
          delivered.push(event.data.message.content);
        }
      });
      const count = 40;
      const texts = Array.from({ length: count }, (_, i) => `burst ${i}`);
      let acked = 0;
      alice.parley.outbox?.on('sent', () => acked++);
      for (const text of texts) {
        await alice.parley.send(conversationId, text);
      }
      // Cut both links a few messages in: sends in flight lose their answers, pushes to Bob are lost.
      await waitFor(() => acked >= 8, { message: 'the burst is under way' });
      await Promise.all([aliceProxy.cut(), bobProxy.cut()]);
      await waitFor(() => alice.parley.connectionState === 'offline', { message: 'alice notices the cut' });
      await new Promise((r) => setTimeout(r, 1500));
      await Promise.all([aliceProxy.restore(), bobProxy.restore()]);

      await waitFor(async () => {
        await alice.parley.outbox?.drained();
        return true;
      }, { timeoutMs: 60_000, message: 'the outbox drains' });
      assert.ok(acked < count || aliceProxy.connections() > 2, 'the cut happened mid-burst');

      // The server stored each message exactly once, in the order written.
      const stored = await history(alice.parley.client, conversationId);
      assert.deepEqual(stored.map((m) => m.content), texts);
      assert.deepEqual(stored.map((m) => m.seq), stored.map((_, i) => stored[0].seq + i));

      // Bob's store holds each exactly once, with contiguous seqs, whatever came live, by catch-up or by gap fill.
      await waitFor(() => bob.parley.store.messages(conversationId).length === count,
        { timeoutMs: 30_000, message: 'bob has the whole burst' });
      assert.deepEqual(bob.parley.store.messages(conversationId).map((m) => m.content), texts);
      assert.equal(bob.parley.store.conversation(conversationId)?.unread_count, count);
      assert.equal((await bob.parley.client.getConversation(conversationId)).unread_count, count);
      // Alice's own view has each once too.
      assert.deepEqual(alice.parley.store.messages(conversationId).map((m) => m.content), texts);
      // Every text reached Bob's handlers (live or caught up); repeats there are absorbed by the store.
      assert.deepEqual([...new Set(delivered)].sort(), [...texts].sort());
    } finally {
      await aliceProxy.close();
      await bobProxy.close();
    }
  });

  test('a message written offline is kept across a reload and sent once', async () => {
    const proxy = await startProxy(server.port);
    try {
      const storage = new MemoryStorage();
      const { parley: alice, username } = await newUser(proxy.baseUrl, 'offline', { storage });
      track(alice);
      const { parley: bob, id: bobId } = await newUser(server.baseUrl, 'online');
      track(bob);
      const conversation = await alice.openDirect(bobId);
      await connectionReaches(alice, 'online');
      await proxy.cut();
      await waitFor(() => alice.connectionState === 'offline', { message: 'offline' });
      await alice.send(conversation.conversation_id, 'written on the train');
      assert.equal(alice.pending(conversation.conversation_id).length, 1);
      // The page is closed before it could send; a new one starts from the same storage.
      alice.stop();
      await proxy.restore();
      const reopened = track(new Parley({ baseUrl: proxy.baseUrl, storage, WebSocket: /** @type {any} */ (WebSocket),
        backoff: { initial: 100, max: 1000 } }));
      assert.equal(await reopened.resume(), true);
      assert.equal(reopened.user?.username, username);
      await waitFor(() => reopened.pending().length === 0, { message: 'the outbox drains after the reload' });
      await waitFor(() => bob.store.messages(conversation.conversation_id).length === 1, { message: 'bob has it' });
      const stored = await history(bob.client, conversation.conversation_id);
      assert.deepEqual(stored.map((m) => m.content), ['written on the train']);
    } finally {
      await proxy.close();
    }
  });

  test('after an outage the store catches up from its cursor: edits, deletes, reactions, exact unread', async () => {
    const proxy = await startProxy(server.port);
    try {
      const { alice, bob, conversationId } = await pair({ bobUrl: proxy.baseUrl });
      await connectionReaches(bob.parley, 'online');
      await alice.parley.send(conversationId, 'before');
      await waitFor(() => bob.parley.store.messages(conversationId).length === 1, { message: 'first message' });
      await proxy.cut();
      await waitFor(() => bob.parley.connectionState === 'offline', { message: 'bob offline' });

      const a = (await alice.parley.client.sendMessage(conversationId, { content: 'a' })).message;
      const b = (await alice.parley.client.sendMessage(conversationId, { content: 'b' })).message;
      await alice.parley.client.sendMessage(conversationId, { content: 'c' });
      await alice.parley.client.editMessage(a.message_id, 'a, edited');
      await alice.parley.client.deleteMessage(b.message_id);
      const before = bob.parley.store.messages(conversationId)[0];
      await alice.parley.client.addReaction(before.message_id, '🎉');

      await proxy.restore();
      await connectionReaches(bob.parley, 'online');
      await waitFor(() => bob.parley.store.messages(conversationId).length === 4, { message: 'caught up' });
      const held = bob.parley.store.messages(conversationId);
      assert.deepEqual(held.map((m) => m.is_deleted ? null : m.content), ['before', 'a, edited', null, 'c']);
      await waitFor(() => bob.parley.store.messages(conversationId)[0].reactions?.[0]?.emoji === '🎉',
        { message: 'the reaction' });
      assert.equal(bob.parley.store.messages(conversationId)[0].reactions?.[0]?.count, 1);
      const server = await bob.parley.client.getConversation(conversationId);
      assert.equal(server.unread_count, 3);
      await waitFor(() => bob.parley.store.conversation(conversationId)?.unread_count === 3,
        { message: 'unread 3 (before, a, c)' });
    } finally {
      await proxy.close();
    }
  });

  test('history pages back to the first message, oldest first', async () => {
    const { alice, bob, conversationId } = await pair();
    const texts = Array.from({ length: 45 }, (_, i) => `old ${i}`);
    for (const content of texts) {
      await alice.parley.client.sendMessage(conversationId, { content });
    }
    await waitFor(() => bob.parley.store.conversation(conversationId)?.unread_count === 45, { message: 'all in' });
    const pages = [];
    let more = true;
    while (more) {
      more = await bob.parley.store.loadHistory(conversationId, { limit: 20 });
      pages.push(bob.parley.store.messages(conversationId).length);
    }
    // The window opens at the newest page and grows one page at a time, whatever arrived live before.
    assert.deepEqual(pages, [20, 40, 45]);
    assert.deepEqual(bob.parley.store.messages(conversationId).map((m) => m.content), texts);
    assert.equal(bob.parley.store.hasOlder(conversationId), false);
  });

  test('a gap in seq is filled from history', async () => {
    const { alice, bob, conversationId } = await pair();
    bob.parley.stop();
    // A store without a connection, fed one push out of three: it fetches what it missed.
    const store = new ChatStore({ client: bob.parley.client });
    store.addConversation(await bob.parley.client.getConversation(conversationId));
    const sent = [];
    for (const text of ['x', 'y', 'z']) {
      sent.push((await alice.parley.client.sendMessage(conversationId, { content: text })).message);
    }
    store.applyEvent({ type: 'message.new', data: { conversation_id: conversationId, message: sent[2] } });
    await waitFor(() => store.messages(conversationId).length === 3, { message: 'the gap is filled' });
    assert.deepEqual(store.messages(conversationId).map((m) => m.content), ['x', 'y', 'z']);
    assert.equal(store.conversation(conversationId)?.unread_count, 3);
    // The same push again (live, then in catch-up) changes nothing.
    store.applyEvent({ type: 'message.new', data: { conversation_id: conversationId, message: sent[2] } }, 'sync');
    assert.equal(store.conversation(conversationId)?.unread_count, 3);
  });

  test('a revoked session (close 4003) stops the connection for good', async () => {
    const { parley, username } = await newUser(server.baseUrl, 'revoked');
    track(parley);
    await connectionReaches(parley, 'online');
    let signedOut = '';
    parley.on('signedOut', ({ reason }) => {
      signedOut = reason;
    });
    /** @type {number[]} */
    const closes = [];
    parley.connection?.on('closed', ({ code }) => closes.push(code));
    const other = new ParleyClient({ baseUrl: server.baseUrl });
    await other.login({ username, password: 'correct horse battery' });
    await other.logoutAll();
    await waitFor(() => parley.connectionState === 'signedOut', { message: 'signed out' });
    assert.deepEqual(closes, [4003]);
    assert.equal(signedOut, 'revoked');
    assert.equal(parley.user, null);
  });

  test('an image upload reports progress and arrives with its thumbnail', async () => {
    const { alice, bob, conversationId } = await pair();
    await connectionReaches(bob.parley, 'online');
    const png = noisePng(320, 240);
    /** @type {number[]} */
    const progress = [];
    await alice.parley.sendImage(conversationId, png, { contentType: 'image/png', filename: 'noise.png',
      caption: 'static', onProgress: ({ loaded }) => progress.push(loaded) });
    assert.ok(progress.length >= 2, `progress events: ${progress.length}`);
    assert.equal(progress[progress.length - 1], png.byteLength);
    const image = await waitFor(() => bob.parley.store.messages(conversationId)
      .find((m) => m.type === 'image' && m.metadata?.thumbnail_url), { message: 'bob gets the image' });
    assert.equal(image.content, 'static');
    assert.equal(image.metadata?.width, 320);
    const thumbnail = await fetch(image.metadata?.thumbnail_url);
    assert.equal(thumbnail.status, 200);
  });

  test('presence: a contact online is seen online', async () => {
    const { alice, bob } = await pair();
    await connectionReaches(alice.parley, 'online');
    await connectionReaches(bob.parley, 'online');
    const presence = await bob.parley.store.loadPresence(alice.id);
    assert.equal(presence.status, 'online');
  });
});

describe('client-side rules', () => {
  test('typing.start goes out at most every 3 s while typing, and stops after idling', async () => {
    /** @type {string[]} */
    const frames = [];
    let now = 0;
    const connection = /** @type {any} */ ({ send: (/** @type {string} */ type) => frames.push(type) > 0 });
    const typing = new TypingNotifier({ client: /** @type {any} */ ({}), connection, now: () => now, idleMs: 50 });
    for (; now <= 10_000; now += 100) {
      typing.keystroke('c');
    }
    assert.equal(frames.filter((f) => f === 'typing.start').length, 4);
    await waitFor(() => frames.includes('typing.stop'), { message: 'stop after idle' });
    typing.keystroke('c');
    typing.sent('c');
    assert.equal(frames.filter((f) => f === 'typing.stop').length, 1, 'a send needs no stop frame');
  });

  test('backoff grows exponentially, is jittered and capped', () => {
    assert.equal(backoffDelay(0, { initial: 1000, random: () => 1 }), 1000);
    assert.equal(backoffDelay(3, { initial: 1000, random: () => 1 }), 8000);
    assert.equal(backoffDelay(30, { initial: 1000, max: 30_000, random: () => 1 }), 30_000);
    assert.ok(backoffDelay(3, { initial: 1000, random: () => 0.25 }) === 2000);
  });

  test('usernames made here are valid', () => {
    assert.match(uniqueName('someone'), /^[a-z0-9_.]{3,32}$/);
  });
});

describe('Devices and push', () => {
  /** A browser-like subscription: a real P-256 public key and auth secret, an https endpoint. */
  function subscription() {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    return {
      endpoint: `https://push.example.test/${randomBytes(8).toString('hex')}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
    };
  }

  test('the VAPID key needs no session and is an uncompressed P-256 point', async () => {
    const key = await new ParleyClient({ baseUrl: server.baseUrl }).webPushKey();
    const bytes = Buffer.from(key, 'base64url');
    assert.equal(bytes.length, 65);
    assert.equal(bytes[0], 4);
  });

  test('register, list, re-register, move to another account, delete', async () => {
    const alice = await newUser(server.baseUrl, 'devices');
    const bob = await newUser(server.baseUrl, 'devices');
    const body = /** @type {const} */ ({ platform: 'webpush', subscription: subscription(), locale: 'en-GB' });

    const first = await alice.parley.client.registerDevice(body);
    assert.equal(first.created, true);
    assert.equal(first.device.platform, 'webpush');
    const again = await alice.parley.client.registerDevice(body);
    assert.deepEqual(again, { device: first.device, created: false });
    const listed = await alice.parley.client.listDevices();
    assert.deepEqual(listed.map((d) => [d.device_id, d.platform, d.locale]),
      [[first.device.device_id, 'webpush', 'en-GB']]);

    // The same subscription registered by Bob (the browser changed hands) moves to him.
    const moved = await bob.parley.client.registerDevice(body);
    assert.equal(moved.device.device_id, first.device.device_id);
    assert.deepEqual(await alice.parley.client.listDevices(), []);
    await assert.rejects(alice.parley.client.deleteDevice(first.device.device_id),
      (error) => error instanceof ParleyError && error.status === 404 && error.code === 'DEVICE_NOT_FOUND');

    await bob.parley.client.deleteDevice(first.device.device_id);
    assert.deepEqual(await bob.parley.client.listDevices(), []);
  });

  test('a plain-http endpoint and a missing token are refused, naming the field', async () => {
    const { parley } = await newUser(server.baseUrl, 'devices');
    const insecure = { ...subscription(), endpoint: 'http://push.example.test/x' };
    await assert.rejects(parley.client.registerDevice({ platform: 'webpush', subscription: insecure }),
      (error) => error instanceof ParleyError && error.code === 'VALIDATION_FAILED'
        && error.details?.field === 'subscription.endpoint');
    await assert.rejects(parley.client.registerDevice({ platform: 'fcm' }),
      (error) => error instanceof ParleyError && error.code === 'VALIDATION_FAILED' && error.status === 400);
  });

  test('notification previews default to full and can be changed', async () => {
    const { parley } = await newUser(server.baseUrl, 'previews');
    assert.deepEqual(await parley.client.notificationSettings(), { previews: 'full' });
    assert.deepEqual(await parley.client.updateNotificationSettings({ previews: 'sender' }), { previews: 'sender' });
    assert.deepEqual(await parley.client.notificationSettings(), { previews: 'sender' });
  });
});
