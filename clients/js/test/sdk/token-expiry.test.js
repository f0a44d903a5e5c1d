// Tokens that expire every few seconds: the socket is closed with 4001, the SDK refreshes and reconnects, and
// REST calls keep working; nothing sent meanwhile is lost.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectionReaches, newUser, stopAll, waitFor } from '../support/helpers.js';
import { startParley } from '../support/server.js';

/** @type {Awaited<ReturnType<typeof startParley>>} */
let server;

before(async () => {
  server = await startParley({ env: { PARLEY_AUTH_ACCESS_TOKEN_TTL: '4s' } });
});

after(async () => {
  stopAll();
  await server?.stop();
});

test('on 4001 the token is refreshed, the socket reopened, and what was sent meanwhile arrives', async () => {
  const alice = await newUser(server.baseUrl, 'alice');
  const bob = await newUser(server.baseUrl, 'bob');
  const conversation = await alice.parley.openDirect(bob.id);
  const id = conversation.conversation_id;
  await connectionReaches(bob.parley, 'online');
  /** @type {number[]} */
  const closes = [];
  bob.parley.connection?.on('closed', ({ code }) => closes.push(code));
  const firstToken = bob.parley.client.session?.access_token;

  // Bob's socket outlives his token; Alice keeps writing across it.
  const texts = [];
  for (let i = 0; i < 8; i++) {
    texts.push(`tick ${i}`);
    await alice.parley.send(id, `tick ${i}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  await waitFor(() => closes.includes(4001), { message: 'a 4001 close' });
  await connectionReaches(bob.parley, 'online');
  assert.notEqual(bob.parley.client.session?.access_token, firstToken, 'the token was refreshed');
  await waitFor(() => bob.parley.store.messages(id).length === texts.length, { message: 'every message' });
  assert.deepEqual(bob.parley.store.messages(id).map((m) => m.content), texts);
  assert.equal(bob.parley.connectionState, 'online');
  // REST after expiry: refreshed on the way.
  const page = await bob.parley.client.listConversations();
  assert.equal(page.conversations[0].conversation_id, id);
  assert.equal(page.conversations[0].unread_count, texts.length);
});
