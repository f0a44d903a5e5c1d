// Parley's web app: plain ES modules on the SDK (served from /app/sdk/ by the page's import map), no build step.
import { Parley, ParleyError, WebStorage } from 'parley-client';
import { $, h, clear, timeOf, userLabel } from './dom.js';
import { clearNotifications, disablePush, enablePush, pushEnabled, pushSupported } from './push.js';

/** @typedef {import('parley-client').Conversation} Conversation */
/** @typedef {import('parley-client').Message} Message */
/** @typedef {import('parley-client').User} User */
/** @typedef {import('parley-client').OutboxItem} OutboxItem */

const REACTIONS = ['👍', '❤️', '😂', '😮', '😢'];

const parley = new Parley({ storage: new WebStorage() });

const ui = {
  /** @type {string | null} */ current: null,
  /** @type {Message | null} */ replyTo: null,
  /** @type {Message | null} */ editing: null,
  /** @type {string | null} message whose actions are shown */ menu: null,
  /** @type {Set<string>} conversations whose history was loaded */ loaded: new Set(),
  /** @type {Set<string>} images whose URLs were refreshed after failing */ refreshed: new Set(),
  everOnline: false,
  renderQueued: false,
  /** @type {'inbox' | 'requests'} which list the sidebar shows */ folder: 'inbox',
  /** @type {Conversation[]} the requests folder as last loaded */ requests: [],
  /** @type {string | null} */ requestsCursor: null,
  /** @type {{conversation: Conversation, messages: Message[]} | null} the open request (read-only) */ request: null,
};

// ---- Start ---------------------------------------------------------------------------------------------------

parley.on('change', ({ kind }) => {
  if (kind === 'reset') {
    // The catch-up cursor expired: what was shown may lack changes, so reload the open conversation.
    ui.loaded.clear();
    if (ui.current) {
      void openConversation(ui.current);
    }
  }
  if (kind === 'request' && ui.folder === 'requests') {
    // A request came, grew or was answered on another device: the folder shown is reloaded.
    void loadRequests(false);
  }
  render();
});
parley.on('outbox', () => render());
parley.on('connection', (state) => {
  if (state === 'online') {
    ui.everOnline = true;
    refreshRequests();
  }
  render();
});
parley.on('sendFailed', ({ error }) => showStatus(`Not sent: ${error.message}`));
parley.on('signedOut', ({ reason }) => {
  // Signed out elsewhere (revoked, suspended): the device cannot be deleted without a session, so the browser's
  // subscription goes, and the push service's 404/410 for it makes the server prune the device.
  void disablePush(null).catch(() => {});
  ui.current = null;
  ui.folder = 'inbox';
  ui.request = null;
  ui.requests = [];
  ui.loaded.clear();
  showAuth(reason === 'revoked' ? 'You were signed out on another device or by an administrator.' : '');
});
window.addEventListener('online', renderBanner);
window.addEventListener('offline', renderBanner);
document.addEventListener('visibilitychange', () => {
  parley.connection?.setPresence(document.visibilityState === 'visible' ? 'online' : 'away');
  markReadSoon();
  if (document.visibilityState === 'visible') {
    // Requests arrive with no event: look again when the user comes back.
    refreshRequests();
  }
});

wireAuth();
wireChat();
parley.resume().then((resumed) => {
  if (!resumed) {
    showAuth('');
    return;
  }
  showChat();
  // Opened from a notification (/sw.js): straight to its conversation.
  const wanted = new URLSearchParams(location.search).get('conversation');
  if (wanted) {
    history.replaceState(null, '', '/');
    void openConversation(wanted);
  }
}, () => showAuth(''));

// ---- Auth ----------------------------------------------------------------------------------------------------

function wireAuth() {
  const loginTab = $('tab-login');
  const registerTab = $('tab-register');
  const loginForm = /** @type {HTMLFormElement} */ ($('login-form'));
  const registerForm = /** @type {HTMLFormElement} */ ($('register-form'));
  /** @param {boolean} login */
  const select = (login) => {
    loginTab.setAttribute('aria-selected', String(login));
    registerTab.setAttribute('aria-selected', String(!login));
    loginForm.hidden = !login;
    registerForm.hidden = login;
  };
  loginTab.addEventListener('click', () => select(true));
  registerTab.addEventListener('click', () => select(false));
  loginForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(loginForm);
    void submitAuth(loginForm, () => parley.login({
      username: String(data.get('username')).trim(), password: String(data.get('password')),
    }));
  });
  registerForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(registerForm);
    const displayName = String(data.get('display_name') ?? '').trim();
    void submitAuth(registerForm, () => parley.register({
      username: String(data.get('username')).trim(), password: String(data.get('password')),
      ...(displayName ? { display_name: displayName } : {}),
    }));
  });
}

/**
 * @param {HTMLFormElement} form
 * @param {() => Promise<unknown>} action
 */
async function submitAuth(form, action) {
  const error = /** @type {HTMLElement} */ (form.querySelector('.error'));
  const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
  error.textContent = '';
  button.disabled = true;
  try {
    await action();
    form.reset();
    showChat();
  } catch (e) {
    error.textContent = describe(e);
  } finally {
    button.disabled = false;
  }
}

/** @param {string} message */
function showAuth(message) {
  $('chat').hidden = true;
  $('auth').hidden = false;
  $('banner').hidden = true;
  const error = /** @type {HTMLElement} */ ($('login-form').querySelector('.error'));
  error.textContent = message;
  document.title = 'Parley';
}

function showChat() {
  $('auth').hidden = true;
  $('chat').hidden = false;
  const me = parley.user;
  $('me-name').textContent = me ? me.display_name : '';
  renderPushButton();
  render();
}

// ---- Chat wiring ---------------------------------------------------------------------------------------------

function wireChat() {
  $('sign-out').addEventListener('click', () => {
    // The push device goes first, while the session can still delete it: nobody signing in here next gets these.
    void disablePush(parley.client).catch(() => {})
      .then(() => parley.logout())
      .catch(() => parley.client.forgetSession('logout'));
  });
  $('notifications').addEventListener('click', () => void togglePush());
  navigator.serviceWorker?.addEventListener('message', (event) => {
    // A notification was clicked while this window was open.
    if (event.data?.type === 'parley.open' && typeof event.data.conversation_id === 'string') {
      void openConversation(event.data.conversation_id);
    }
  });
  $('back').addEventListener('click', () => {
    ui.current = null;
    ui.request = null;
    $('chat').classList.remove('open');
    render();
  });
  $('more-conversations').addEventListener('click', () => {
    void parley.store.loadConversations({ more: true }).catch((e) => showStatus(describe(e)));
  });
  $('load-older').addEventListener('click', () => {
    if (ui.current) {
      void parley.store.loadHistory(ui.current).catch((e) => showStatus(describe(e)));
    }
  });
  $('messages').addEventListener('scroll', () => {
    const box = $('messages');
    if (box.scrollTop === 0 && ui.current && ui.loaded.has(ui.current) && parley.store.hasOlder(ui.current)) {
      const height = box.scrollHeight;
      void parley.store.loadHistory(ui.current).then(() => {
        box.scrollTop = box.scrollHeight - height;
      }, () => {});
    }
  });

  const input = /** @type {HTMLTextAreaElement} */ ($('message-input'));
  const composer = /** @type {HTMLFormElement} */ ($('composer'));
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitMessage();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void submitMessage();
    }
  });
  input.addEventListener('input', () => {
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight}px`;
    if (ui.current && !ui.editing) {
      if (input.value.trim()) {
        parley.typing?.keystroke(ui.current);
      } else {
        parley.typing?.stop(ui.current);
      }
    }
  });
  $('cancel-reply').addEventListener('click', () => {
    ui.replyTo = null;
    renderComposer();
  });
  $('cancel-edit').addEventListener('click', () => {
    ui.editing = null;
    input.value = '';
    renderComposer();
  });
  const photo = /** @type {HTMLInputElement} */ ($('photo-input'));
  photo.addEventListener('change', () => {
    const file = photo.files?.[0];
    photo.value = '';
    if (file && ui.current) {
      void sendPhoto(ui.current, file);
    }
  });
  wireDirectDialog();
  wireGroupDialog();
  wireRequests();
}

async function submitMessage() {
  const input = /** @type {HTMLTextAreaElement} */ ($('message-input'));
  const text = input.value.trim();
  const conversationId = ui.current;
  if (!text || !conversationId) {
    return;
  }
  input.value = '';
  input.style.height = 'auto';
  try {
    if (ui.editing) {
      const message = ui.editing;
      ui.editing = null;
      renderComposer();
      await parley.edit(message, text);
    } else {
      const replyTo = ui.replyTo?.message_id ?? null;
      ui.replyTo = null;
      renderComposer();
      await parley.send(conversationId, text, { replyTo });
      scrollToEnd();
    }
  } catch (e) {
    showStatus(describe(e));
  }
}

/**
 * @param {string} conversationId
 * @param {File} file
 */
async function sendPhoto(conversationId, file) {
  const input = /** @type {HTMLTextAreaElement} */ ($('message-input'));
  const caption = input.value.trim();
  const preview = /** @type {HTMLImageElement} */ ($('upload-preview'));
  const progress = /** @type {HTMLProgressElement} */ ($('upload-progress'));
  const url = URL.createObjectURL(file);
  preview.src = url;
  progress.value = 0;
  $('upload').hidden = false;
  try {
    await parley.sendImage(conversationId, file, {
      caption,
      replyTo: ui.replyTo?.message_id ?? null,
      onProgress: ({ loaded, total }) => {
        progress.value = total ? Math.round((loaded / total) * 100) : 0;
      },
    });
    if (caption) {
      input.value = '';
    }
    ui.replyTo = null;
    renderComposer();
    scrollToEnd();
  } catch (e) {
    showStatus(`Photo not sent: ${describe(e)}`);
  } finally {
    $('upload').hidden = true;
    URL.revokeObjectURL(url);
  }
}

/** @param {string} conversationId */
async function openConversation(conversationId) {
  ui.current = conversationId;
  ui.request = null;
  ui.menu = null;
  ui.replyTo = null;
  ui.editing = null;
  $('chat').classList.add('open');
  render();
  try {
    if (!ui.loaded.has(conversationId)) {
      await parley.store.loadHistory(conversationId);
      ui.loaded.add(conversationId);
    }
    scrollToEnd();
    await parley.store.loadReceipts(conversationId);
    const other = partner(parley.store.conversation(conversationId));
    if (other) {
      await parley.store.loadPresence(other.user_id).catch(() => null);
    }
  } catch (e) {
    showStatus(describe(e));
  }
  markReadSoon();
  ($('message-input')).focus();
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let readTimer;
function markReadSoon() {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    const id = ui.current;
    if (id && document.visibilityState === 'visible' && ui.loaded.has(id)) {
      void parley.store.markRead(id).catch(() => {});
      // Read here: this browser's own notification of it goes too (the server tells only the other devices).
      void clearNotifications(id).catch(() => {});
    }
  }, 300);
}

// ---- Requests ------------------------------------------------------------------------------------------------

function wireRequests() {
  $('requests-entry').addEventListener('click', () => {
    ui.folder = 'requests';
    closeConversation();
    void loadRequests(false);
  });
  $('requests-back').addEventListener('click', () => {
    ui.folder = 'inbox';
    closeConversation();
  });
  $('more-requests').addEventListener('click', () => void loadRequests(true));
  $('accept').addEventListener('click', () => void answerRequest('accept'));
  $('decline').addEventListener('click', () => void answerRequest('decline'));
  $('decline-block').addEventListener('click', () => void answerRequest('block'));
}

function closeConversation() {
  ui.current = null;
  ui.request = null;
  $('chat').classList.remove('open');
  render();
}

/** The requests folder's count, or the folder itself when it is shown. */
function refreshRequests() {
  if (!parley.user) {
    return;
  }
  if (ui.folder === 'requests') {
    void loadRequests(false);
  } else {
    void parley.store.loadRequests({ limit: 1 }).catch(() => {});
  }
}

/** @param {boolean} more */
async function loadRequests(more) {
  try {
    const page = await parley.store.loadRequests({ before: more ? ui.requestsCursor : null });
    ui.requests = more ? [...ui.requests, ...page.conversations] : page.conversations;
    ui.requestsCursor = page.has_more ? page.next_cursor ?? null : null;
    render();
  } catch (e) {
    showStatus(describe(e));
  }
}

/**
 * Shows a request read-only: the conversation and, for a direct one, its messages (a group invitation shows the
 * group, not its history). Nothing is marked read: the requester learns nothing until it is accepted.
 * @param {Conversation} conversation
 */
async function openRequest(conversation) {
  const id = conversation.conversation_id;
  ui.current = id;
  ui.request = { conversation, messages: [] };
  ui.menu = null;
  $('chat').classList.add('open');
  render();
  if (conversation.type !== 'direct') {
    return;
  }
  try {
    const page = await parley.client.listMessages(id, { limit: 50 });
    if (ui.request?.conversation.conversation_id === id) {
      ui.request = { conversation, messages: [...page.messages].sort((a, b) => a.seq - b.seq) };
      render();
      scrollToEnd();
    }
  } catch (e) {
    showStatus(describe(e));
  }
}

/** @param {'accept' | 'decline' | 'block'} answer */
async function answerRequest(answer) {
  const request = ui.request;
  if (!request) {
    return;
  }
  const id = request.conversation.conversation_id;
  if (answer === 'block' && !confirm(`Decline and block ${conversationName(request.conversation)}? `
    + 'They will not be able to message you.')) {
    return;
  }
  const buttons = ['accept', 'decline', 'decline-block'].map((b) => /** @type {HTMLButtonElement} */ ($(b)));
  buttons.forEach((b) => { b.disabled = true; });
  try {
    if (answer === 'accept') {
      await parley.acceptRequest(id);
    } else {
      await parley.declineRequest(id, { block: answer === 'block' });
    }
    ui.requests = ui.requests.filter((c) => c.conversation_id !== id);
    if (answer === 'accept') {
      ui.folder = 'inbox';
      await openConversation(id);
    } else {
      closeConversation();
    }
  } catch (e) {
    showStatus(describe(e));
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

// ---- Dialogs -------------------------------------------------------------------------------------------------

/**
 * Searches users as the input changes (debounced), without the caller.
 * @param {HTMLInputElement} input
 * @param {(users: User[]) => void} show
 */
function searchAsYouType(input, show) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let generation = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const query = input.value.trim().toLowerCase();
    const mine = ++generation;
    if (!query) {
      show([]);
      return;
    }
    timer = setTimeout(async () => {
      try {
        const users = await parley.client.searchUsers(query);
        if (mine === generation) {
          show(users.filter((u) => u.user_id !== parley.user?.user_id));
        }
      } catch {
        // A failed search leaves the list as it was.
      }
    }, 200);
  });
}

function wireDirectDialog() {
  const dialog = /** @type {HTMLDialogElement} */ ($('direct-dialog'));
  const search = /** @type {HTMLInputElement} */ ($('direct-search'));
  const results = $('direct-results');
  $('new-direct').addEventListener('click', () => {
    search.value = '';
    clear(results);
    dialog.showModal();
    search.focus();
  });
  searchAsYouType(search, (users) => {
    clear(results);
    for (const user of users) {
      results.append(h('li', {}, h('button', {
        type: 'button',
        onclick: async () => {
          try {
            const conversation = await parley.openDirect(user.user_id);
            dialog.close();
            await openConversation(conversation.conversation_id);
          } catch (e) {
            showStatus(describe(e));
          }
        },
      }, `Chat with ${userLabel(user)}`)));
    }
    if (!users.length && search.value.trim()) {
      results.append(h('li', { class: 'hint' }, 'Nobody found'));
    }
  });
}

function wireGroupDialog() {
  const dialog = /** @type {HTMLDialogElement} */ ($('group-dialog'));
  const form = /** @type {HTMLFormElement} */ ($('group-form'));
  const search = /** @type {HTMLInputElement} */ ($('group-search'));
  const name = /** @type {HTMLInputElement} */ ($('group-name'));
  const results = $('group-results');
  /** @type {Map<string, User>} */
  const chosen = new Map();
  const error = /** @type {HTMLElement} */ (form.querySelector('.error'));
  const showChosen = () => {
    $('group-selected').textContent = chosen.size ? `Adding: ${[...chosen.values()].map((u) => u.display_name)
      .join(', ')}` : '';
  };
  $('new-group').addEventListener('click', () => {
    form.reset();
    chosen.clear();
    clear(results);
    showChosen();
    error.textContent = '';
    dialog.showModal();
    name.focus();
  });
  $('group-cancel').addEventListener('click', () => dialog.close());
  searchAsYouType(search, (users) => {
    clear(results);
    for (const user of users) {
      const box = h('input', { type: 'checkbox', checked: chosen.has(user.user_id) });
      box.addEventListener('change', () => {
        if (box.checked) {
          chosen.set(user.user_id, user);
        } else {
          chosen.delete(user.user_id);
        }
        showChosen();
      });
      results.append(h('li', {}, h('label', {}, box, `Add ${userLabel(user)}`)));
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const conversation = await parley.createGroup(name.value.trim(), [...chosen.keys()]);
      dialog.close();
      await openConversation(conversation.conversation_id);
    } catch (e) {
      error.textContent = describe(e);
    }
  });
}

// ---- Push notifications --------------------------------------------------------------------------------------

async function togglePush() {
  const button = /** @type {HTMLButtonElement} */ ($('notifications'));
  const userId = parley.user?.user_id;
  if (!userId) {
    return;
  }
  button.disabled = true;
  try {
    if (pushEnabled(userId)) {
      await disablePush(parley.client);
      showStatus('Notifications are off in this browser.');
    } else {
      await enablePush(parley.client);
      showStatus('Notifications are on: new messages show here while Parley is closed.');
    }
  } catch (e) {
    showStatus(`Notifications not enabled: ${describe(e)}`);
  } finally {
    button.disabled = false;
    renderPushButton();
  }
}

function renderPushButton() {
  const button = $('notifications');
  const userId = parley.user?.user_id;
  button.hidden = !userId || !pushSupported();
  const on = Boolean(userId && pushEnabled(userId));
  button.textContent = on ? 'Turn off notifications' : 'Enable notifications';
}

// ---- Rendering -----------------------------------------------------------------------------------------------

function render() {
  if (ui.renderQueued) {
    return;
  }
  ui.renderQueued = true;
  requestAnimationFrame(() => {
    ui.renderQueued = false;
    if ($('chat').hidden) {
      return;
    }
    renderList();
    renderRequests();
    renderConversation();
    renderBanner();
    markReadSoon();
  });
}

function renderBanner() {
  const banner = $('banner');
  const state = parley.connectionState;
  const offline = !navigator.onLine || state === 'offline' || (ui.everOnline && state === 'connecting');
  $('conn-state').textContent = offline ? '· offline' : state === 'online' ? '· online' : '· connecting';
  if ($('chat').hidden) {
    banner.hidden = true;
  } else if (offline) {
    banner.hidden = false;
    banner.className = 'banner';
    banner.textContent = 'You are offline. Messages you write will be sent when you are back.';
  } else if (state === 'syncing' && ui.everOnline) {
    banner.hidden = false;
    banner.className = 'banner syncing';
    banner.textContent = 'Catching up…';
  } else {
    banner.hidden = true;
  }
}

function renderList() {
  const list = $('conversation-list');
  const conversations = parley.store.conversations();
  clear(list);
  for (const conversation of conversations) {
    const id = conversation.conversation_id;
    const unread = conversation.unread_count;
    const other = partner(conversation);
    const online = Boolean(other && parley.store.presence(other.user_id)?.status === 'online');
    list.append(listItem(conversation, unread, online, () => void openConversation(id)));
  }
  $('empty-list').hidden = conversations.length > 0;
  $('more-conversations').hidden = !parley.store.hasMoreConversations;
  const total = parley.store.totalUnread();
  document.title = total ? `(${total}) Parley` : 'Parley';
}

/**
 * A row of the conversation list or of the requests folder.
 * @param {Conversation} conversation
 * @param {number} unread
 * @param {boolean} online
 * @param {() => void} open
 */
function listItem(conversation, unread, online, open) {
  const name = conversationName(conversation);
  return h('li', {}, h('button', {
    type: 'button',
    'aria-current': String(conversation.conversation_id === ui.current),
    'aria-label': `${name}${unread ? `, ${unread} unread` : ''}`,
    onclick: open,
  },
  h('span', { class: 'name' }, name, online ? h('span', { class: 'dot', title: 'online' }) : ''),
  h('span', { class: 'time' }, conversation.last_message_at ? timeOf(conversation.last_message_at) : ''),
  h('span', { class: 'preview' }, preview(conversation)),
  unread ? h('span', { class: 'badge', 'aria-hidden': 'true' }, String(unread)) : h('span')));
}

/** The requests entry of the conversation list, and the requests folder when it is shown. */
function renderRequests() {
  const { count, unread_count: unread } = parley.store.requests;
  const inFolder = ui.folder === 'requests';
  $('inbox').hidden = inFolder;
  $('requests').hidden = !inFolder;
  const entry = $('requests-entry');
  entry.hidden = count === 0;
  const waiting = `${count} waiting${unread ? `, ${unread} unread` : ''}`;
  entry.setAttribute('aria-label', `Requests, ${waiting}`);
  $('requests-count').textContent = waiting;
  $('requests-badge').hidden = unread === 0;
  $('requests-badge').textContent = String(unread);
  if (!inFolder) {
    return;
  }
  const list = $('request-list');
  clear(list);
  for (const conversation of ui.requests) {
    list.append(listItem(conversation, conversation.unread_count, false, () => void openRequest(conversation)));
  }
  $('empty-requests').hidden = ui.requests.length > 0;
  $('more-requests').hidden = !ui.requestsCursor;
}

/** @param {{conversation: Conversation, messages: Message[]}} request */
function renderRequest({ conversation, messages }) {
  const name = conversationName(conversation);
  $('conversation-title').textContent = name;
  $('conversation-status').textContent = 'Request';
  $('typing').textContent = '';
  $('load-older').hidden = true;
  $('request-text').textContent = conversation.type === 'group'
    ? `You are invited to join ${name}. Accept to see its messages and take part.`
    : `${name} wants to chat with you. Accept to reply; they will not know you have seen this until then.`;
  const list = $('message-list');
  clear(list);
  for (const message of messages) {
    list.append(messageItem(conversation, message, true));
  }
}

function renderConversation() {
  const id = ui.current;
  const request = ui.request?.conversation.conversation_id === id ? ui.request : null;
  $('request-bar').hidden = !request;
  if (request) {
    $('composer').hidden = true;
    renderRequest(request);
    return;
  }
  const conversation = id ? parley.store.conversation(id) : null;
  $('composer').hidden = !conversation;
  const list = $('message-list');
  if (!id || !conversation) {
    $('conversation-title').textContent = id ? 'Loading…' : 'Pick a conversation';
    $('conversation-status').textContent = '';
    $('typing').textContent = '';
    $('load-older').hidden = true;
    clear(list);
    return;
  }
  $('conversation-title').textContent = conversationName(conversation);
  $('conversation-status').textContent = statusLine(conversation);
  const typing = parley.store.typing(id).map((t) => nameOf(conversation, t.user_id, t.username));
  $('typing').textContent = typing.length ? `${typing.join(', ')} ${typing.length > 1 ? 'are' : 'is'} typing…` : '';
  $('load-older').hidden = !ui.loaded.has(id) || !parley.store.hasOlder(id);

  const box = $('messages');
  const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
  const messages = parley.store.messages(id);
  const me = parley.user?.user_id;
  const seenIndex = lastSeenIndex(messages);
  clear(list);
  messages.forEach((message, index) => {
    list.append(messageItem(conversation, message));
    if (index === seenIndex) {
      const readers = parley.store.seenBy(message).map((u) => nameOf(conversation, u));
      list.append(h('li', { class: 'msg mine seen' },
        conversation.type === 'direct' ? 'Seen' : `Seen by ${readers.join(', ')}`));
    }
  });
  for (const item of parley.pending(id)) {
    list.append(pendingItem(item));
  }
  if (atEnd || messages.at(-1)?.sender_id === me) {
    scrollToEnd();
  }
  renderComposer();
}

/**
 * The caller's newest message that someone has read.
 * @param {Message[]} messages
 */
function lastSeenIndex(messages) {
  const me = parley.user?.user_id;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message.sender_id === me && message.type !== 'system' && !message.is_deleted) {
      return parley.store.seenBy(message).length ? i : -1;
    }
  }
  return -1;
}

/**
 * @param {Conversation} conversation
 * @param {Message} message
 * @param {boolean} [readOnly] no actions or reactions (a request)
 */
function messageItem(conversation, message, readOnly = false) {
  const me = parley.user?.user_id;
  if (message.type === 'system') {
    return h('li', { class: 'msg system' }, systemText(conversation, message));
  }
  const mine = message.sender_id === me;
  const bubble = h('div', { class: message.is_deleted ? 'bubble deleted' : 'bubble' });
  if (message.is_deleted) {
    bubble.append('This message was deleted');
  } else {
    if (message.reply_to) {
      bubble.append(h('div', { class: 'quote' }, `${nameOf(conversation, message.reply_to.sender_id)}: `,
        message.reply_to.content ?? 'Photo'));
    }
    if (message.type === 'image') {
      bubble.append(imageOf(message));
    }
    if (message.content) {
      bubble.append(h('span', { class: 'text' }, message.content));
    }
  }
  const item = h('li', { class: `msg ${mine ? 'mine' : 'theirs'}`, 'data-seq': String(message.seq) });
  if (!mine && conversation.type === 'group') {
    item.append(h('span', { class: 'sender' }, nameOf(conversation, message.sender_id, message.sender?.display_name)));
  }
  item.append(bubble);
  const meta = h('div', { class: 'meta' }, timeOf(message.created_at), message.is_edited ? ' · edited' : '');
  if (!message.is_deleted && !readOnly) {
    meta.append(h('button', {
      type: 'button', class: 'menu-toggle', 'aria-label': 'Message actions',
      'aria-expanded': String(ui.menu === message.message_id),
      onclick: () => {
        ui.menu = ui.menu === message.message_id ? null : message.message_id;
        render();
      },
    }, '⋯'));
  }
  item.append(meta);
  const reactions = message.reactions ?? [];
  if (reactions.length && !message.is_deleted && !readOnly) {
    item.append(h('div', { class: 'reactions' }, ...reactions.map((r) => h('button', {
      type: 'button', 'aria-pressed': String(r.reacted_by_me),
      'aria-label': `${r.emoji} ${r.count}, ${r.reacted_by_me ? 'remove your reaction' : 'react too'}`,
      onclick: () => void react(message, r.emoji),
    }, `${r.emoji} ${r.count}`))));
  }
  if (ui.menu === message.message_id && !message.is_deleted) {
    item.append(tools(conversation, message, mine));
  }
  return item;
}

/**
 * @param {Conversation} conversation
 * @param {Message} message
 * @param {boolean} mine
 */
function tools(conversation, message, mine) {
  const bar = h('div', { class: 'tools', role: 'group', 'aria-label': 'Message actions' });
  bar.append(h('button', {
    type: 'button', onclick: () => {
      ui.replyTo = message;
      ui.menu = null;
      render();
      $('message-input').focus();
    },
  }, 'Reply'));
  for (const emoji of REACTIONS) {
    bar.append(h('button', {
      type: 'button', 'aria-label': `React with ${emoji}`,
      onclick: () => {
        ui.menu = null;
        void react(message, emoji);
      },
    }, emoji));
  }
  if (mine && message.type === 'text') {
    bar.append(h('button', {
      type: 'button', onclick: () => {
        ui.editing = message;
        ui.menu = null;
        const input = /** @type {HTMLTextAreaElement} */ ($('message-input'));
        input.value = message.content ?? '';
        render();
        input.focus();
      },
    }, 'Edit'));
  }
  if (mine || conversation.my_role === 'admin' || conversation.my_role === 'owner' && conversation.type === 'group') {
    bar.append(h('button', {
      type: 'button', onclick: async () => {
        ui.menu = null;
        if (confirm('Delete this message for everyone?')) {
          await parley.delete(message).catch((e) => showStatus(describe(e)));
        }
        render();
      },
    }, 'Delete'));
  }
  return bar;
}

/** @param {Message} message */
function imageOf(message) {
  const meta = message.metadata ?? {};
  const attachment = message.attachments?.[0];
  const thumbnail = meta.thumbnail_url ?? attachment?.thumbnail_url;
  const full = meta.image_url ?? attachment?.url;
  if (meta.upload_status === 'rejected' || attachment?.upload_status === 'rejected') {
    return h('span', { class: 'hint' }, 'This photo was removed');
  }
  if (!thumbnail) {
    return h('span', { class: 'hint' }, 'Processing photo…');
  }
  const width = Number(meta.width) || undefined;
  const height = Number(meta.height) || undefined;
  const img = h('img', {
    src: thumbnail, alt: message.content ? `Photo: ${message.content}` : 'Photo', loading: 'lazy',
    ...(width && height ? { width: String(Math.min(200, width)),
      height: String(Math.round(Math.min(200, width) * height / width)) } : {}),
  });
  img.addEventListener('error', () => {
    // Signed URLs expire: fetch the message again, once, for fresh ones.
    if (!ui.refreshed.has(message.message_id)) {
      ui.refreshed.add(message.message_id);
      void parley.client.getMessage(message.message_id).then((m) => parley.store.applyMessage(m), () => {});
    }
  });
  return full ? h('a', { href: full, target: '_blank', rel: 'noopener', 'aria-label': 'Open photo' }, img) : img;
}

/** @param {OutboxItem} item */
function pendingItem(item) {
  const failed = item.status === 'failed';
  const li = h('li', { class: `msg mine ${failed ? 'failed' : 'pending'}` },
    h('div', { class: 'bubble' }, item.content ?? (item.type === 'image' ? 'Photo' : '')));
  if (failed) {
    li.append(h('div', { class: 'meta' }, `Not sent: ${item.error?.message ?? 'refused'}`,
      h('button', { type: 'button', onclick: () => void parley.outbox?.retry(item.client_message_id) }, 'Retry'),
      h('button', { type: 'button', onclick: () => void parley.outbox?.discard(item.client_message_id) }, 'Discard')));
  } else {
    li.append(h('div', { class: 'meta' }, 'Sending…'));
  }
  return li;
}

function renderComposer() {
  const reply = ui.replyTo;
  $('reply-bar').hidden = !reply;
  if (reply) {
    $('reply-text').textContent = `Replying to ${reply.content ?? 'a photo'}`;
  }
  $('cancel-edit').hidden = !ui.editing;
  $('send').textContent = ui.editing ? 'Save' : 'Send';
}

// ---- Helpers -------------------------------------------------------------------------------------------------

/**
 * @param {Message} message
 * @param {string} emoji
 */
async function react(message, emoji) {
  try {
    await parley.toggleReaction(message, emoji);
  } catch (e) {
    showStatus(describe(e));
  }
}

/** The other person of a direct conversation. @param {Conversation | null} conversation */
function partner(conversation) {
  if (!conversation || conversation.type !== 'direct') {
    return null;
  }
  return conversation.participants.find((p) => p.user.user_id !== parley.user?.user_id)?.user ?? null;
}

/** @param {Conversation} conversation */
function conversationName(conversation) {
  if (conversation.type === 'group') {
    return conversation.name ?? 'Group';
  }
  return partner(conversation)?.display_name ?? 'Direct chat';
}

/** @param {Conversation} conversation */
function statusLine(conversation) {
  if (conversation.type === 'group') {
    return `${conversation.participant_count} members`;
  }
  const other = partner(conversation);
  const presence = other ? parley.store.presence(other.user_id) : null;
  if (!presence || parley.connectionState !== 'online') {
    // Offline, what we last heard of them may be stale.
    return '';
  }
  if (presence.status === 'online') {
    return 'online';
  }
  if (presence.status === 'away') {
    return 'away';
  }
  return presence.last_seen_at ? `last seen ${timeOf(presence.last_seen_at)}` : 'offline';
}

/** @param {Conversation} conversation */
function preview(conversation) {
  const last = conversation.last_message;
  if (!last) {
    return 'No messages yet';
  }
  const mine = last.sender_id === parley.user?.user_id ? 'You: ' : '';
  if (last.is_deleted) {
    return `${mine}Message deleted`;
  }
  if (last.type === 'system') {
    return systemText(conversation, last);
  }
  if (last.type === 'image') {
    return `${mine}📷 ${last.content || 'Photo'}`;
  }
  return `${mine}${last.content ?? ''}`;
}

/**
 * @param {Conversation} conversation
 * @param {string} userId
 * @param {string} [fallback]
 */
function nameOf(conversation, userId, fallback) {
  if (userId === parley.user?.user_id) {
    return 'You';
  }
  const participant = conversation.participants.find((p) => p.user.user_id === userId);
  return participant?.user.display_name ?? fallback ?? 'Someone';
}

/**
 * @param {Conversation} conversation
 * @param {Message} message
 */
function systemText(conversation, message) {
  const meta = message.metadata ?? {};
  const actor = nameOf(conversation, meta.actor_id ?? message.sender_id);
  const target = meta.target_id ? nameOf(conversation, meta.target_id) : 'someone';
  switch (meta.action) {
    case 'member_added': return `${actor} added ${target}`;
    case 'member_removed': return `${actor} removed ${target}`;
    case 'member_left': return `${actor} left`;
    case 'role_changed': return `${actor} changed ${target}'s role`;
    case 'group_renamed': return `${actor} renamed the group`;
    case 'group_photo_changed': return `${actor} changed the group photo`;
    case 'group_created': return `${actor} created the group`;
    default: return message.content ?? 'Group updated';
  }
}

/** @param {string} text */
function showStatus(text) {
  const status = $('conversation-status');
  status.textContent = text;
  setTimeout(() => {
    if (status.textContent === text) {
      render();
    }
  }, 5000);
}

function scrollToEnd() {
  requestAnimationFrame(() => {
    const box = $('messages');
    box.scrollTop = box.scrollHeight;
  });
}

/** @param {unknown} error */
function describe(error) {
  if (error instanceof ParleyError) {
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
