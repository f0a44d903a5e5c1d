// Message requests in the web app, on a server of its own whose contact policy is `requests` (under the default
// policy, which webapp.test.js runs on, every chat is an ordinary one). Carol (through the SDK) and Alice (in a
// desktop browser) write to Bob, who is a contact of neither: both chats wait in his Requests, read-only; he
// declines and blocks Carol, accepts Alice, and the chat with Alice joins his conversation list, live both ways.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newUser, stopAll } from '../support/helpers.js';
import { DESKTOP, PHONE, launchChromium, messages, person, shot, unnamedControls, withPeople }
  from '../support/browser.js';
import { startParley } from '../support/server.js';

/** @type {Awaited<ReturnType<typeof startParley>>} */
let server;
/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  server = await startParley({ env: { PARLEY_CONTACT_POLICY: 'requests' } });
  browser = await launchChromium();
});

after(async () => {
  stopAll();
  await browser?.close();
  await server?.stop();
});

test('a stranger\'s chat waits in Requests, read-only; declined and blocked, or accepted into the list', async () => {
  const alice = await person(browser, server.baseUrl, DESKTOP, 'Alice');
  const bob = await person(browser, server.baseUrl, PHONE, 'Bob');
  await withPeople({ alice, bob }, () => requests(alice, bob));
});

/**
 * @param {import('../support/browser.js').Person} alice
 * @param {import('../support/browser.js').Person} bob
 */
async function requests(alice, bob) {
  // Carol (display name "carol") writes to Bob first, through the SDK.
  const carol = await newUser(server.baseUrl, 'carol');
  const found = (await carol.parley.client.searchUsers(bob.username)).find((u) => u.username === bob.username);
  assert.ok(found, 'Carol finds Bob');
  const spam = await carol.parley.client.createDirect(found.user_id);
  await carol.parley.client.sendMessage(spam.conversation_id, { content: 'Cheap watches' });

  // Alice finds Bob and writes to him: for her it is an ordinary chat.
  await alice.page.getByRole('button', { name: 'New chat' }).click();
  await alice.page.getByLabel('Find people').fill(bob.username);
  await alice.page.getByRole('button', { name: `Chat with Bob (@${bob.username})` }).click();
  await alice.page.getByLabel('Message', { exact: true }).fill('Hi Bob, we met at the conference');
  await alice.page.getByRole('button', { name: 'Send' }).click();
  await messages(alice.page).locator('li:not(.pending)', { hasText: 'we met at the conference' }).waitFor();

  // Bob's app was open all along: the live request.updated frames show both requests without a reload. None is
  // in his chats.
  const entry = bob.page.getByRole('button', { name: 'Requests, 2 waiting, 2 unread' });
  await entry.waitFor();
  assert.equal(await bob.page.locator('#conversation-list li').count(), 0, 'no request among the chats');
  await shot(bob.page, '07-requests-entry-phone');
  await entry.click();
  let carolRow = bob.page.getByRole('button', { name: 'carol, 1 unread' });
  const aliceRow = bob.page.getByRole('button', { name: 'Alice, 1 unread' });
  await carolRow.waitFor();
  await aliceRow.waitFor();
  await shot(bob.page, '08-requests-phone');
  // Carol writes again while Bob looks at the folder: it is reloaded live.
  await carol.parley.client.sendMessage(spam.conversation_id, { content: 'Still cheap' });
  carolRow = bob.page.getByRole('button', { name: 'carol, 2 unread' });
  await carolRow.waitFor();

  // Carol's request shows her messages, with no composer and no message actions; Bob declines and blocks her.
  await carolRow.click();
  await messages(bob.page).getByText('Cheap watches').waitFor();
  assert.equal(await bob.page.getByLabel('Message', { exact: true }).isVisible(), false, 'no composer');
  assert.equal(await messages(bob.page).getByRole('button', { name: 'Message actions' }).count(), 0);
  await bob.page.getByRole('button', { name: 'Decline and block' }).click();
  // Answered, the phone is back at the folder (a row on a hidden list counts as absent, so wait for one shown).
  await aliceRow.waitFor();
  assert.equal(await carolRow.count(), 0, 'the declined request left the folder');
  // Blocked: she can no longer write to him, nor ask to be his contact.
  await assert.rejects(carol.parley.client.sendMessage(spam.conversation_id, { content: 'Hello?' }),
    (/** @type {any} */ e) => e.code === 'USER_BLOCKED');
  await assert.rejects(carol.parley.client.requestContact(found.user_id),
    (/** @type {any} */ e) => e.code === 'USER_BLOCKED');

  // Alice's request: every control named; Bob accepts, and can answer at once.
  await aliceRow.click();
  await messages(bob.page).getByText('Hi Bob, we met at the conference').waitFor();
  await bob.page.getByRole('button', { name: 'Decline', exact: true }).waitFor();
  assert.deepEqual(await unnamedControls(bob.page), []);
  await shot(bob.page, '09-request-phone');
  await bob.page.getByRole('button', { name: 'Accept' }).click();
  const input = bob.page.getByLabel('Message', { exact: true });
  await input.fill('Nice to meet you');
  await input.press('Enter');
  await messages(alice.page).getByText('Nice to meet you').waitFor();
  await messages(alice.page).getByText('Seen', { exact: true }).waitFor();

  // Back in Bob's list: the chat with Alice, read, is an ordinary one; no request waits any more.
  await bob.page.getByRole('button', { name: 'Back to conversations' }).click();
  await bob.page.locator('#conversation-list').getByRole('button', { name: 'Alice', exact: true }).waitFor();
  await bob.page.getByRole('button', { name: /^Requests/ }).waitFor({ state: 'hidden' });
  await alice.page.getByLabel('Message', { exact: true }).fill('Glad you said yes');
  await alice.page.getByRole('button', { name: 'Send' }).click();
  await bob.page.getByRole('button', { name: 'Alice, 1 unread' }).waitFor();
  assert.equal(await alice.page.getByRole('button', { name: /^Requests/ }).count(), 0, 'nothing for the requester');
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
}
