// The web app served by Parley at /, driven in Debian's Chromium through Playwright: two people in two browser
// contexts (a phone-sized one and a desktop one) chat in real time, send a photo, react, see "Seen", edit and
// delete, start a group, and one goes offline and back and sees what was missed. Screenshots of the main screens
// go to test-results/screenshots (kept by CI as artefacts). Web Push: the opt-in registers a `webpush` device,
// and the service worker shows and clears what Parley pushes (see the last test for what is stubbed and why).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ParleyClient } from '../../src/index.js';
import { newUser, noisePng, stopAll, waitFor } from '../support/helpers.js';
import { DESKTOP, PHONE, launchChromium, messages, person as signUp, shot, unnamedControls, withPeople }
  from '../support/browser.js';
import { startParley } from '../support/server.js';
import { startPushService } from '../support/webpush.js';

/** @type {Awaited<ReturnType<typeof startParley>>} */
let server;
/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  // Web Push to the loopback stand-in of the last test (plain http on loopback is a development allowance).
  server = await startParley({ env: { PARLEY_PUSH_WEBPUSH_ALLOW_INSECURE_LOOPBACK: 'true' } });
  browser = await launchChromium();
});

after(async () => {
  stopAll();
  await browser?.close();
  await server?.stop();
});

/**
 * @param {{width: number, height: number}} viewport
 * @param {string} displayName
 * @param {string} [screenshot]
 * @param {(context: import('playwright-core').BrowserContext) => Promise<void>} [prepare] before the page opens
 */
function person(viewport, displayName, screenshot, prepare) {
  return signUp(browser, server.baseUrl, viewport, displayName, screenshot, prepare);
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

// Chromium refuses a real push subscription here, for two reasons found by trying: Playwright's contexts are
// incognito-like ("Chrome currently does not support the Push API in incognito mode": subscribe() rejects with
// "Registration failed - permission denied"), and in a persistent profile subscribe() waits for Google's push
// service (FCM), which this machine cannot reach. So the page's pushManager.subscribe is stubbed to hand out the
// subscription of a loopback stand-in (whose key pair is made by the test), and what the stand-in receives,
// encrypted by Parley and decrypted by the test (RFC 8291), is handed to the real service worker through the
// DevTools protocol (ServiceWorker.deliverPushMessage, as DevTools' "Push" button does). Everything else is real:
// the button, permission, VAPID key fetch, service worker, device registration, the server's rule and
// encryption, notifications shown and cleared, and the device deleted on sign-out.
test('enabling notifications registers a webpush device whose pushes the service worker shows and clears', async () => {
  const push = await startPushService();
  const alice = await person(DESKTOP, 'Pushy', undefined, async (context) => {
    await context.grantPermissions(['notifications'], { origin: server.baseUrl });
    await context.addInitScript(stubPushManager, push.subscription);
  });
  try {
    await alice.page.getByRole('button', { name: 'Enable notifications' }).click();
    await alice.page.getByRole('button', { name: 'Turn off notifications' }).waitFor();
    const aliceElsewhere = new ParleyClient({ baseUrl: server.baseUrl });
    const me = await aliceElsewhere.login({ username: alice.username, password: 'correct horse battery' });
    const devices = await aliceElsewhere.listDevices();
    assert.deepEqual(devices.map((d) => d.platform), ['webpush']);
    await shot(alice.page, '10-notifications-on');

    // Alice closes the app; Bob writes. Parley pushes to her subscription, encrypted for its keys.
    await alice.page.close();
    const bob = await newUser(server.baseUrl, 'bob');
    const direct = await bob.parley.client.createDirect(me.user_id);
    const { message } = await bob.parley.client.sendMessage(direct.conversation_id,
      { type: 'text', content: 'Are you there?' });
    const pushed = await waitFor(() => push.pushes.find((p) => p.payload.type === 'message.new'),
      { message: 'a message.new push at the stand-in' });
    assert.deepEqual(pushed.payload, { type: 'message.new', conversation_id: direct.conversation_id,
      message_id: message.message_id, seq: message.seq, badge: 1, title: 'bob', body: 'Are you there?' });

    // The service worker shows it, one notification per conversation.
    const page = await alice.context.newPage();
    await page.goto('/');
    const deliver = await pushDeliverer(page);
    await deliver(pushed.payload);
    const shown = await waitFor(async () => (await notifications(page)).find((n) => n.body === 'Are you there?'),
      { message: 'the notification shown' });
    assert.deepEqual(shown, { title: 'bob', body: 'Are you there?', tag: `parley:${direct.conversation_id}` });

    // Alice reads it on another device: the data-only conversation.read clears the notification here.
    await aliceElsewhere.markRead(message.message_id);
    const read = await waitFor(() => push.pushes.find((p) => p.payload.type === 'conversation.read'),
      { message: 'a conversation.read push at the stand-in' });
    assert.deepEqual(read.payload, { type: 'conversation.read', conversation_id: direct.conversation_id, badge: 0 });
    await deliver(read.payload);
    await waitFor(async () => (await notifications(page)).length === 0, { message: 'the notification cleared' });

    // Reading in this browser closes its own notification of the conversation (the server tells the others).
    await deliver(pushed.payload);
    await waitFor(async () => (await notifications(page)).length === 1, { message: 'the notification shown again' });
    await page.getByRole('button', { name: 'bob', exact: true }).click();
    await messages(page).getByText('Are you there?').waitFor();
    await waitFor(async () => (await notifications(page)).length === 0, { message: 'closed by reading here' });

    // Signing out deletes the device and drops the browser's subscription.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.deepEqual(await aliceElsewhere.listDevices(), []);
    assert.equal(await page.evaluate(() => /** @type {any} */ (window).parleyTestUnsubscribed), true);
    assert.deepEqual(alice.errors, []);
  } catch (error) {
    for (const page of alice.context.pages()) {
      await shot(page, 'failure-push').catch(() => {});
    }
    throw error;
  } finally {
    await alice.context.close();
    await push.close();
  }
});

/**
 * Runs in the page before its scripts: pushManager hands out the stand-in's subscription (see above).
 * @param {{endpoint: string, keys: {p256dh: string, auth: string}}} subscription
 */
function stubPushManager(subscription) {
  // Subscribed or not is kept per origin, as the browser does, so that a later page sees the subscription.
  const KEY = 'parley-test-subscribed';
  const fake = {
    endpoint: subscription.endpoint,
    /** @type {any} */ options: {},
    toJSON: () => ({ endpoint: subscription.endpoint, expirationTime: null, keys: subscription.keys }),
    unsubscribe: async () => {
      localStorage.removeItem(KEY);
      /** @type {any} */ (window).parleyTestUnsubscribed = true;
      return true;
    },
  };
  PushManager.prototype.subscribe = async function (/** @type {any} */ options) {
    localStorage.setItem(KEY, JSON.stringify(Array.from(new Uint8Array(options.applicationServerKey))));
    return /** @type {any} */ (fake);
  };
  PushManager.prototype.getSubscription = async () => {
    const key = localStorage.getItem(KEY);
    if (!key) {
      return null;
    }
    fake.options = { userVisibleOnly: true, applicationServerKey: new Uint8Array(JSON.parse(key)).buffer };
    return /** @type {any} */ (fake);
  };
}

/**
 * A function that delivers a push payload to the page's service worker, as the push service would.
 * @param {import('playwright-core').Page} page
 */
async function pushDeliverer(page) {
  const cdp = await page.context().newCDPSession(page);
  /** @type {Promise<string>} */
  const registration = new Promise((resolveId) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const found = registrations.find((r) => !r.isDeleted && r.scopeURL === `${server.baseUrl}/`);
      if (found) {
        resolveId(found.registrationId);
      }
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registration;
  return (/** @type {any} */ payload) => cdp.send('ServiceWorker.deliverPushMessage',
    { origin: server.baseUrl, registrationId, data: JSON.stringify(payload) });
}

/** The notifications the service worker shows. @param {import('playwright-core').Page} page */
function notifications(page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const shown = await registration.getNotifications();
    return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
  });
}
