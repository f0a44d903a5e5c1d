// The web app served by Parley at /, driven in Debian's Chromium through Playwright: two people in two browser
// contexts (a phone-sized one and a desktop one) chat in real time, send a photo, react, see "Seen", edit and
// delete, start a group, and one goes offline and back and sees what was missed. Screenshots of the main screens
// go to test-results/screenshots (kept by CI as artefacts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { noisePng } from '../support/helpers.js';
import { DESKTOP, PHONE, launchChromium, messages, person as signUp, shot, unnamedControls, withPeople }
  from '../support/browser.js';
import { startParley } from '../support/server.js';

/** @type {Awaited<ReturnType<typeof startParley>>} */
let server;
/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  server = await startParley();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * @param {{width: number, height: number}} viewport
 * @param {string} displayName
 * @param {string} [screenshot]
 */
function person(viewport, displayName, screenshot) {
  return signUp(browser, server.baseUrl, viewport, displayName, screenshot);
}

test('two people chat in real time, with photos, reactions, receipts, typing and an offline spell', async () => {
  const alice = await person(DESKTOP, 'Alice', '01-create-account');
  const bob = await person(PHONE, 'Bob');
  await withPeople({ alice, bob }, () => conversation(alice, bob));
});

/**
 * @typedef {import('../support/browser.js').Person} Person
 * @param {Person} alice
 * @param {Person} bob
 */
async function conversation(alice, bob) {

  // Alice finds Bob by username prefix and writes to him.
  await alice.page.getByRole('button', { name: 'New chat' }).click();
  await alice.page.getByLabel('Find people').fill(bob.username.slice(0, 6));
  await alice.page.getByRole('button', { name: `Chat with Bob (@${bob.username})` }).click();
  await alice.page.getByLabel('Message', { exact: true }).fill('Hi Bob!');
  await alice.page.getByRole('button', { name: 'Send' }).click();
  await messages(alice.page).getByText('Hi Bob!').waitFor();

  // Bob's list shows it, unread, with its preview, without a reload.
  const row = bob.page.getByRole('button', { name: 'Alice, 1 unread' });
  await row.waitFor();
  await bob.page.locator('.conversation-list').getByText('Hi Bob!').waitFor();
  await shot(bob.page, '02-conversation-list-phone');
  await row.click();
  await messages(bob.page).getByText('Hi Bob!').waitFor();

  // Bob read it: Alice sees "Seen"; Bob's list has no unread left.
  await messages(alice.page).getByText('Seen', { exact: true }).waitFor();
  await bob.page.getByRole('button', { name: 'Back to conversations' }).click();
  await bob.page.getByRole('button', { name: 'Alice', exact: true }).waitFor();
  await bob.page.getByRole('button', { name: 'Alice', exact: true }).click();

  // Typing shows on the other side, then the reply arrives live.
  await bob.page.getByLabel('Message', { exact: true }).pressSequentially('Hello Alice', { delay: 20 });
  await alice.page.getByText('Bob is typing…').waitFor();
  await bob.page.getByLabel('Message', { exact: true }).press('Enter');
  await messages(alice.page).getByText('Hello Alice').waitFor();
  await alice.page.getByText('Bob is typing…').waitFor({ state: 'hidden' });

  // A photo, with progress, arrives as a thumbnail.
  await alice.page.getByLabel('Message', { exact: true }).fill('Look at this');
  await alice.page.getByLabel('Attach photo').setInputFiles({
    name: 'noise.png', mimeType: 'image/png', buffer: Buffer.from(noisePng(640, 480)),
  });
  await messages(bob.page).getByRole('img', { name: 'Photo: Look at this' }).waitFor();
  const size = await messages(bob.page).getByRole('img', { name: 'Photo: Look at this' })
    .evaluate((img) => /** @type {HTMLImageElement} */ (img).naturalWidth);
  assert.ok(size > 0 && size <= 200, `a thumbnail, ${size} px wide`);
  await shot(bob.page, '03-chat-phone');

  // Bob reacts to Alice's first message; Alice sees the count.
  const first = messages(bob.page).locator('li', { hasText: 'Hi Bob!' });
  await first.getByRole('button', { name: 'Message actions' }).click();
  await first.getByRole('button', { name: 'React with 👍' }).click();
  await messages(alice.page).getByRole('button', { name: '👍 1, react too' }).waitFor();

  // Alice replies to Bob's message, edits it, and deletes another.
  const hello = messages(alice.page).locator('li', { hasText: 'Hello Alice' });
  await hello.getByRole('button', { name: 'Message actions' }).click();
  await hello.getByRole('button', { name: 'Reply' }).click();
  await alice.page.getByLabel('Message', { exact: true }).fill('Replying, with a typo');
  await alice.page.getByRole('button', { name: 'Send' }).click();
  const reply = messages(bob.page).locator('li', { hasText: 'Replying, with a typo' });
  await reply.locator('.quote', { hasText: 'Hello Alice' }).waitFor();
  const mine = messages(alice.page).locator('li', { hasText: 'Replying, with a typo' });
  await mine.getByRole('button', { name: 'Message actions' }).click();
  await mine.getByRole('button', { name: 'Edit' }).click();
  await alice.page.getByLabel('Message', { exact: true }).fill('Replying, fixed');
  await alice.page.getByRole('button', { name: 'Save' }).click();
  await messages(bob.page).getByText('Replying, fixed').waitFor();
  await messages(bob.page).locator('li', { hasText: 'Replying, fixed' }).getByText('edited').waitFor();
  const greeting = messages(alice.page).locator('li', { hasText: 'Hi Bob!' });
  await greeting.getByRole('button', { name: 'Message actions' }).click();
  await greeting.getByRole('button', { name: 'Delete' }).click();
  await messages(bob.page).getByText('This message was deleted').waitFor();
  await shot(alice.page, '04-chat-desktop');

  // Bob loses his network: the app says so; what Alice sends meanwhile, and what Bob writes, arrive once back.
  await bob.context.setOffline(true);
  await bob.page.getByText('You are offline').waitFor();
  await alice.page.getByLabel('Message', { exact: true }).fill('While you were away');
  await alice.page.getByRole('button', { name: 'Send' }).click();
  await alice.page.getByLabel('Message', { exact: true }).fill('And another');
  await alice.page.getByRole('button', { name: 'Send' }).click();
  await messages(alice.page).getByText('And another').waitFor();
  await bob.page.getByLabel('Message', { exact: true }).fill('Written offline');
  await bob.page.getByLabel('Message', { exact: true }).press('Enter');
  await messages(bob.page).locator('li.pending', { hasText: 'Written offline' }).getByText('Sending…').waitFor();
  assert.equal(await messages(bob.page).getByText('While you were away').count(), 0);
  await shot(bob.page, '05-offline-phone');
  await bob.context.setOffline(false);
  await bob.page.getByText('You are offline').waitFor({ state: 'hidden' });
  await messages(bob.page).getByText('While you were away').waitFor();
  await messages(bob.page).getByText('And another').waitFor();
  await messages(alice.page).getByText('Written offline').waitFor();
  await messages(bob.page).locator('li.pending').waitFor({ state: 'detached' });
  assert.equal(await messages(alice.page).getByText('Written offline').count(), 1, 'sent once');
  assert.equal(await messages(bob.page).getByText('Written offline').count(), 1, 'shown once');

  // A group: Alice creates it with Bob; it appears in Bob's list.
  await alice.page.getByRole('button', { name: 'New group' }).click();
  await alice.page.getByLabel('Group name').fill('Weekend');
  await alice.page.getByLabel('Add people').fill(bob.username);
  await alice.page.getByLabel(`Add Bob (@${bob.username})`).check();
  await alice.page.getByRole('button', { name: 'Create group' }).click();
  await alice.page.getByRole('heading', { name: 'Weekend' }).waitFor();
  await messages(alice.page).getByText('You created the group').waitFor();
  await alice.page.getByLabel('Message', { exact: true }).fill('Who is in?');
  await alice.page.getByRole('button', { name: 'Send' }).click();
  await messages(alice.page).locator('li:not(.pending)', { hasText: 'Who is in?' }).waitFor();
  await bob.page.getByRole('button', { name: 'Back to conversations' }).click();
  await bob.page.getByRole('button', { name: 'Weekend, 1 unread' }).waitFor();
  await shot(alice.page, '06-group-desktop');

  // Every control on a full chat screen (a message's actions open too) has an accessible name.
  const last = messages(alice.page).locator('li', { hasText: 'Who is in?' });
  await last.getByRole('button', { name: 'Message actions' }).click();
  assert.deepEqual(await unnamedControls(alice.page), []);
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
}

test('the sign-in screen names every field and button', async () => {
  const context = await browser.newContext({ viewport: PHONE, baseURL: server.baseUrl });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.deepEqual(await unnamedControls(page), []);
  await context.close();
});
