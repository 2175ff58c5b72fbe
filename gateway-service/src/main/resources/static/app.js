// ERP Chat web app: plain ES module, no framework, no build step. Uses the gateway's JavaScript client
// (js/chat-client.js) for everything live and message-service / presence-service REST APIs for lists and history,
// called from the browser with the user's bearer token. /config.json (served by the gateway) says where those are.

import { ChatClient } from './js/chat-client.js';

const SESSION_KEY = 'erpchat.session';
const HISTORY_PAGE = 30;
const TYPING_EXPIRY_MS = 10000;

const $ = (id) => document.getElementById(id);

const state = {
  config: { dev_token_url: '', message_service_url: '', presence_service_url: '' },
  session: null, // {token, user_id, name, expires_at, dev}
  client: null,
  me: null, // {id, display_name}
  conversations: new Map(), // conversation id -> conversation view (REST shape), kept current from events
  histories: new Map(), // conversation id -> {stored: Map id -> message, pending: Map client_msg_id -> entry, ...}
  drafts: new Map(), // peer id -> {pending: Map} for a private chat that has no conversation yet
  users: new Map(), // user id -> display name
  presence: new Map(), // user id -> boolean
  typing: new Map(), // conversation id -> Map(user id -> expiry timer)
  peerRead: new Map(), // conversation id -> highest seq another participant has read
  active: null, // {kind: 'conversation', id} or {kind: 'draft', peerId}
  everOpen: false,
  wasResumed: false,
};

// ------------------------------------------------------------------ REST

function messageUrl(path) {
  return `${state.config.message_service_url || ''}${path}`;
}

function presenceUrl(path) {
  return `${state.config.presence_service_url || ''}${path}`;
}

async function api(url, { method = 'GET', body } = {}, retried = false) {
  const headers = { Authorization: `Bearer ${state.session.token}` };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && state.session.dev && !retried) {
    await refreshDevToken();
    return api(url, { method, body }, true);
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch (e) {
      // not a problem-detail body
    }
    const error = new Error(problem.detail || problem.title || `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.code = problem.code;
    throw error;
  }
  return response.status === 204 ? null : response.json();
}

async function fetchDevToken(userId, name) {
  const response = await fetch(state.config.dev_token_url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: userId, name }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.detail || `the token issuer answered ${response.status}`);
  }
  return body;
}

async function refreshDevToken() {
  const issued = await fetchDevToken(state.session.user_id, state.session.name);
  state.session = { ...state.session, token: issued.token, expires_at: issued.expires_at };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
  return issued.token;
}

function decodeJwt(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(payload))));
  } catch (e) {
    return null;
  }
}

// ------------------------------------------------------------------ login

async function loadConfig() {
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (response.ok) {
      state.config = { ...state.config, ...(await response.json()) };
    }
  } catch (e) {
    // No config: everything on this origin, no development token issuer.
  }
  if (!state.config.dev_token_url) {
    $('dev-login').hidden = true;
    $('token-login').open = true;
  }
}

async function login(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  const pasted = $('login-token').value.trim();
  try {
    if (pasted) {
      const claims = decodeJwt(pasted);
      if (!claims) {
        throw new Error('That does not look like a JWT.');
      }
      state.session = {
        token: pasted,
        user_id: Number(claims.sub),
        name: claims.name || `User ${claims.sub}`,
        expires_at: claims.exp ? new Date(claims.exp * 1000).toISOString() : null,
        dev: false,
      };
    } else {
      const userId = Number($('login-user-id').value);
      if (!Number.isInteger(userId) || userId <= 0) {
        throw new Error('Enter a positive user id.');
      }
      if (!state.config.dev_token_url) {
        throw new Error('No development token issuer here: paste a token.');
      }
      const name = $('login-name').value.trim() || `User ${userId}`;
      const issued = await fetchDevToken(userId, name);
      state.session = { token: issued.token, user_id: issued.user_id, name: issued.name,
        expires_at: issued.expires_at, dev: true };
    }
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
    await startApp();
  } catch (e) {
    $('login-error').textContent = e.message;
    state.session = null;
    sessionStorage.removeItem(SESSION_KEY);
  }
}

function logout() {
  if (state.client) {
    state.client.close();
  }
  sessionStorage.removeItem(SESSION_KEY);
  window.location.reload();
}

async function getToken({ reason }) {
  const session = state.session;
  const expiresSoon = session.expires_at && Date.parse(session.expires_at) - Date.now() < 90000;
  if (reason === 'connect' && !expiresSoon) {
    return session.token;
  }
  if (session.dev) {
    return refreshDevToken();
  }
  if (reason === 'rejected') {
    $('chat-error').textContent = 'The gateway rejected the token: log in again with a fresh one.';
  }
  return session.token;
}

// ------------------------------------------------------------------ start

async function startApp() {
  state.me = await api(messageUrl('/api/users/me'));
  state.users.set(state.me.id, state.me.display_name);
  $('login').hidden = true;
  $('app').hidden = false;
  $('me').textContent = `${state.me.display_name} (#${state.me.id})`;
  $('me').dataset.userId = String(state.me.id);

  await loadConversations();

  const client = new ChatClient({
    getToken,
    storage: window.localStorage,
    logger: { debug() {}, warn: (...args) => console.warn(...args) },
  });
  state.client = client;
  window.chatApp.client = client;
  // The REST snapshot holds everything up to each conversation's last_seq: resume only what comes after.
  for (const conversation of state.conversations.values()) {
    client.notePosition(conversation.id, conversation.last_seq);
  }
  client.on('state', onState);
  client.on('message', onMessage);
  client.on('ack', onAck);
  client.on('send_error', onSendError);
  client.on('typing', onTyping);
  client.on('presence', onPresence);
  client.on('read', onRead);
  client.on('group_updated', onGroupUpdated);
  client.on('resumed', onResumed);
  client.connect().catch(() => {});
  renderConversations();
}

async function loadConversations() {
  let cursor = null;
  const seen = new Set();
  for (let page = 0; page < 20; page++) {
    const query = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
    const result = await api(messageUrl(`/api/conversations${query}`));
    for (const conversation of result.conversations) {
      mergeConversation(conversation);
      seen.add(conversation.id);
    }
    cursor = result.next_cursor;
    if (!cursor) {
      break;
    }
  }
  await queryPresence([...state.conversations.values()].filter((c) => c.peer_id).map((c) => c.peer_id));
  renderConversations();
  return seen;
}

function mergeConversation(view) {
  const current = state.conversations.get(view.id);
  if (!current) {
    state.conversations.set(view.id, { ...view });
  } else {
    const newer = view.last_seq >= current.last_seq;
    Object.assign(current, {
      type: view.type,
      group_id: view.group_id,
      name: view.name || current.name,
      peer_id: view.peer_id ?? current.peer_id,
      member_ids: view.member_ids || current.member_ids,
      last_message: newer ? view.last_message : current.last_message,
      last_seq: Math.max(view.last_seq, current.last_seq),
      read_seq: Math.max(view.read_seq, current.read_seq),
    });
    current.unread_count = Math.max(0, current.last_seq - current.read_seq);
  }
  const conversation = state.conversations.get(view.id);
  if (conversation.peer_id && conversation.name) {
    state.users.set(conversation.peer_id, conversation.name);
  }
  return conversation;
}

async function fetchConversation(id) {
  try {
    const view = await api(messageUrl(`/api/conversations/${id}`));
    const conversation = mergeConversation(view);
    if (conversation.peer_id && !state.presence.has(conversation.peer_id)) {
      queryPresence([conversation.peer_id]);
    }
    renderConversations();
    if (isActive(id)) {
      renderChatHeader();
    }
    return conversation;
  } catch (e) {
    if (e.status === 404) {
      state.conversations.delete(id);
      renderConversations();
    }
    return null;
  }
}

async function queryPresence(userIds) {
  const ids = [...new Set(userIds.filter((id) => id != null && id !== state.me.id))];
  if (ids.length === 0) {
    return;
  }
  try {
    const answer = await api(presenceUrl('/api/presence/query'), { method: 'POST', body: { user_ids: ids } });
    for (const entry of answer) {
      state.presence.set(Number(entry.user_id), !!entry.is_online);
    }
    renderConversations();
    renderChatHeader();
  } catch (e) {
    console.warn('presence query failed', e);
  }
}

async function ensureUsers(ids) {
  const missing = [...new Set(ids.filter((id) => id != null && !state.users.has(id)))];
  if (missing.length === 0) {
    return;
  }
  try {
    const users = await api(messageUrl(`/api/users?ids=${missing.join(',')}`));
    for (const user of users) {
      state.users.set(user.id, user.display_name);
    }
    renderActive();
  } catch (e) {
    console.warn('user lookup failed', e);
  }
}

function nameOf(userId) {
  return state.users.get(userId) || `User ${userId}`;
}

// ------------------------------------------------------------------ histories

function historyOf(conversationId) {
  if (!state.histories.has(conversationId)) {
    state.histories.set(conversationId, {
      stored: new Map(),
      pending: new Map(),
      loaded: false,
      hasMore: false,
      oldestLoaded: null,
      loading: false,
    });
  }
  return state.histories.get(conversationId);
}

async function loadLatest(conversationId) {
  const history = historyOf(conversationId);
  if (history.loaded || history.loading) {
    return;
  }
  history.loading = true;
  try {
    const page = await api(messageUrl(`/api/conversations/${conversationId}/messages?limit=${HISTORY_PAGE}`));
    addHistoryPage(history, page);
    history.loaded = true;
  } catch (e) {
    $('chat-error').textContent = `Could not load messages: ${e.message}`;
  } finally {
    history.loading = false;
  }
  renderActive({ stickToBottom: 'force' });
}

async function loadOlder() {
  if (!state.active || state.active.kind !== 'conversation') {
    return;
  }
  const conversationId = state.active.id;
  const history = historyOf(conversationId);
  if (!history.hasMore || history.loading || history.oldestLoaded == null) {
    return;
  }
  history.loading = true;
  const scroller = $('message-scroller');
  const fromBottom = scroller.scrollHeight - scroller.scrollTop;
  try {
    const page = await api(messageUrl(
      `/api/conversations/${conversationId}/messages?before=${history.oldestLoaded}&limit=${HISTORY_PAGE}`));
    addHistoryPage(history, page);
  } catch (e) {
    $('chat-error').textContent = `Could not load older messages: ${e.message}`;
  } finally {
    history.loading = false;
  }
  if (isActive(conversationId)) {
    renderMessages();
    scroller.scrollTop = scroller.scrollHeight - fromBottom;
  }
}

function addHistoryPage(history, page) {
  const messages = page.messages || [];
  for (const message of messages) {
    history.stored.set(message.id, message);
    history.pending.delete(message.client_msg_id);
  }
  if (state.client) {
    state.client.noteSeen(messages.map((m) => m.id));
  }
  if (messages.length > 0) {
    const lowest = messages[0].seq;
    history.oldestLoaded = history.oldestLoaded == null ? lowest : Math.min(history.oldestLoaded, lowest);
  }
  history.hasMore = !!page.has_more;
  ensureUsers(messages.map((m) => m.sender_id));
}

// ------------------------------------------------------------------ live events

function onState({ state: connectionState }) {
  const label = { connecting: 'Connecting…', open: 'Online', reconnecting: 'Reconnecting…', closed: 'Offline',
    idle: '' }[connectionState] || connectionState;
  const element = $('connection-state');
  element.textContent = label;
  element.dataset.state = connectionState;
  if (connectionState === 'open') {
    state.everOpen = true;
  }
  $('reconnecting-banner').hidden = !(connectionState === 'reconnecting'
    || (connectionState === 'connecting' && state.everOpen));
}

function onResumed(result) {
  if (state.wasResumed) {
    // Back after a disconnect: the replay brought the messages; the list's counters and names are refreshed too.
    loadConversations().catch((e) => console.warn('conversation refresh failed', e));
  }
  state.wasResumed = true;
  if (!result.complete) {
    console.warn('resume incomplete', result.reason);
  }
}

function onMessage(message) {
  const own = message.sender_id === state.me.id;
  let conversation = state.conversations.get(message.conversation_id);
  if (!conversation) {
    conversation = mergeConversation({
      id: message.conversation_id,
      type: message.conversation_type,
      group_id: message.group_id,
      name: message.conversation_type === 'private'
        ? nameOf(own ? message.receiver_id : message.sender_id)
        : `Group ${message.group_id}`,
      peer_id: message.conversation_type === 'private' ? (own ? message.receiver_id : message.sender_id) : null,
      member_ids: [],
      last_message: null,
      last_seq: 0,
      read_seq: 0,
      unread_count: 0,
    });
    fetchConversation(message.conversation_id);
  }
  if (message.seq > conversation.last_seq) {
    conversation.last_seq = message.seq;
    conversation.last_message = message;
  }
  if (own) {
    conversation.read_seq = Math.max(conversation.read_seq, message.seq);
  }
  const history = historyOf(message.conversation_id);
  history.stored.set(message.id, message);
  history.pending.delete(message.client_msg_id);
  if (own && message.conversation_type === 'private') {
    adoptDraft(message.receiver_id, message.conversation_id);
  }
  clearTyping(message.conversation_id, message.sender_id);
  if (!own && isActive(message.conversation_id) && document.visibilityState === 'visible') {
    markActiveRead();
  }
  conversation.unread_count = Math.max(0, conversation.last_seq - conversation.read_seq);
  ensureUsers([message.sender_id]);
  renderConversations();
  if (isActive(message.conversation_id)) {
    renderMessages({ stickToBottom: true });
  }
}

function onAck({ client_msg_id: clientMsgId, message }) {
  if (message) {
    onMessage(message);
  }
  for (const history of state.histories.values()) {
    history.pending.delete(clientMsgId);
  }
}

function onSendError(error) {
  for (const container of [...state.histories.values(), ...state.drafts.values()]) {
    const entry = container.pending.get(error.client_msg_id);
    if (entry) {
      entry.status = 'failed';
      entry.error = error.message || error.code;
    }
  }
  $('chat-error').textContent = `Not sent: ${error.message || error.code}`;
  renderMessages();
}

function onTyping(data) {
  const conversationId = data.conversation_id;
  if (data.user_id === state.me.id) {
    return;
  }
  if (!state.typing.has(conversationId)) {
    state.typing.set(conversationId, new Map());
  }
  const typers = state.typing.get(conversationId);
  clearTimeout(typers.get(data.user_id));
  if (data.is_typing === false) {
    typers.delete(data.user_id);
  } else {
    // Typing expires by itself: treat a `true` older than 10 seconds as stopped.
    typers.set(data.user_id, setTimeout(() => clearTyping(conversationId, data.user_id), TYPING_EXPIRY_MS));
    ensureUsers([data.user_id]);
  }
  renderTyping();
}

function clearTyping(conversationId, userId) {
  const typers = state.typing.get(conversationId);
  if (typers && typers.has(userId)) {
    clearTimeout(typers.get(userId));
    typers.delete(userId);
    renderTyping();
  }
}

function onPresence(data) {
  state.presence.set(Number(data.user_id), !!data.is_online);
  renderConversations();
  renderChatHeader();
}

function onRead(data) {
  const conversation = state.conversations.get(data.conversation_id);
  if (data.user_id === state.me.id) {
    if (conversation) {
      conversation.read_seq = Math.max(conversation.read_seq, data.read_seq);
      conversation.unread_count = Math.max(0, conversation.last_seq - conversation.read_seq);
      renderConversations();
    }
    return;
  }
  const before = state.peerRead.get(data.conversation_id) || 0;
  state.peerRead.set(data.conversation_id, Math.max(before, data.read_seq));
  if (isActive(data.conversation_id)) {
    renderMessages();
  }
}

function onGroupUpdated(data) {
  const me = state.me.id;
  const removed = data.change === 'members_removed' && (data.affected_user_ids || []).includes(me);
  if (removed) {
    state.conversations.delete(data.group_id);
    if (isActive(data.group_id)) {
      closeChat();
    }
    renderConversations();
    return;
  }
  fetchConversation(data.group_id);
}

// ------------------------------------------------------------------ actions

function isActive(conversationId) {
  return state.active && state.active.kind === 'conversation' && state.active.id === conversationId;
}

function markActiveRead() {
  if (!state.active || state.active.kind !== 'conversation') {
    return;
  }
  const conversation = state.conversations.get(state.active.id);
  if (!conversation || conversation.last_seq <= conversation.read_seq) {
    return;
  }
  const { id, last_seq: seq } = conversation;
  conversation.read_seq = seq;
  conversation.unread_count = 0;
  if (!state.client || !state.client.markRead(id, seq)) {
    api(messageUrl(`/api/conversations/${id}/read`), { method: 'POST', body: { seq } })
      .catch((e) => console.warn('mark read failed', e));
  }
}

async function openConversation(conversationId) {
  stopTypingInActive();
  state.active = { kind: 'conversation', id: conversationId };
  $('chat-error').textContent = '';
  $('composer-input').value = '';
  renderActive({ stickToBottom: 'force' });
  await loadLatest(conversationId);
  if (isActive(conversationId)) {
    markActiveRead();
    renderConversations();
  }
}

async function openPrivateChat(peerId) {
  if (peerId === state.me.id) {
    $('sidebar-error').textContent = 'That is you: pick another user id.';
    return;
  }
  $('sidebar-error').textContent = '';
  const known = [...state.conversations.values()].find((c) => c.type === 'private' && c.peer_id === peerId);
  if (known) {
    await openConversation(known.id);
    return;
  }
  try {
    const view = await api(messageUrl(`/api/conversations/private/${peerId}`));
    mergeConversation(view);
    client().notePosition(view.id, view.last_seq);
    renderConversations();
    await openConversation(view.id);
    return;
  } catch (e) {
    if (e.status !== 404) {
      $('sidebar-error').textContent = e.message;
      return;
    }
  }
  // No conversation yet: it starts with the first message.
  stopTypingInActive();
  if (!state.drafts.has(peerId)) {
    state.drafts.set(peerId, { pending: new Map() });
  }
  state.active = { kind: 'draft', peerId };
  $('chat-error').textContent = '';
  await ensureUsers([peerId]);
  queryPresence([peerId]);
  renderActive();
}

function adoptDraft(peerId, conversationId) {
  const draft = state.drafts.get(peerId);
  if (!draft) {
    return;
  }
  const history = historyOf(conversationId);
  for (const [clientMsgId, entry] of draft.pending) {
    if (![...history.stored.values()].some((m) => m.client_msg_id === clientMsgId)) {
      history.pending.set(clientMsgId, entry);
    }
  }
  state.drafts.delete(peerId);
  if (state.active && state.active.kind === 'draft' && state.active.peerId === peerId) {
    state.active = { kind: 'conversation', id: conversationId };
    history.loaded = false;
    loadLatest(conversationId);
  }
}

function client() {
  return state.client;
}

function sendFromComposer(event) {
  event.preventDefault();
  const input = $('composer-input');
  const content = input.value.trim();
  if (!content || !state.active) {
    return;
  }
  input.value = '';
  stopTypingInActive();
  $('chat-error').textContent = '';
  let sending;
  let container;
  if (state.active.kind === 'draft') {
    sending = client().sendPrivate(state.active.peerId, content);
    container = state.drafts.get(state.active.peerId);
  } else {
    const conversation = state.conversations.get(state.active.id);
    sending = conversation.type === 'group'
      ? client().sendGroup(conversation.group_id ?? conversation.id, content)
      : client().sendPrivate(conversation.peer_id, content);
    container = historyOf(conversation.id);
  }
  container.pending.set(sending.clientMsgId, {
    client_msg_id: sending.clientMsgId,
    content,
    sender_id: state.me.id,
    status: 'sending',
    created_at: new Date().toISOString(),
  });
  sending.catch(() => {}); // failures arrive as send_error events
  renderMessages({ stickToBottom: true });
}

function typingTarget() {
  if (!state.active || state.active.kind !== 'conversation') {
    return null;
  }
  return { conversation_id: state.active.id };
}

function onComposerInput() {
  const target = typingTarget();
  if (!target || !state.client) {
    return;
  }
  if ($('composer-input').value.trim()) {
    state.client.typing(target);
  } else {
    state.client.stopTyping(target);
  }
}

function stopTypingInActive() {
  const target = typingTarget();
  if (target && state.client) {
    state.client.stopTyping(target);
  }
}

async function createGroup(event) {
  event.preventDefault();
  $('sidebar-error').textContent = '';
  const name = $('new-group-name').value.trim();
  const memberIds = $('new-group-members').value.split(/[\s,;]+/).filter(Boolean).map(Number);
  if (!name || memberIds.length === 0 || memberIds.some((id) => !Number.isInteger(id) || id <= 0)) {
    $('sidebar-error').textContent = 'A group needs a name and member ids (numbers, separated by commas).';
    return;
  }
  try {
    const group = await api(messageUrl('/api/groups'), { method: 'POST', body: { name, member_ids: memberIds } });
    $('new-group-name').value = '';
    $('new-group-members').value = '';
    for (const member of group.members || []) {
      ensureUsers([member.user_id]);
    }
    await fetchConversation(group.id);
    await openConversation(group.id);
  } catch (e) {
    $('sidebar-error').textContent = e.code === 'unknown_user'
      ? 'Some member ids are unknown: every member must have logged in once.'
      : e.message;
  }
}

function closeChat() {
  state.active = null;
  renderActive();
}

// ------------------------------------------------------------------ rendering

function element(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value == null) {
      continue;
    }
    if (name === 'class') {
      node.className = value;
    } else if (name.startsWith('data-') || name === 'title') {
      node.setAttribute(name, String(value));
    } else {
      node[name] = value;
    }
  }
  if (text != null) {
    node.textContent = text;
  }
  return node;
}

function activityOf(conversation) {
  return conversation.last_message ? Date.parse(conversation.last_message.created_at) : 0;
}

function preview(message) {
  if (!message) {
    return 'No messages yet';
  }
  const who = message.sender_id === state.me.id ? 'You: ' : '';
  return `${who}${message.content || (message.type === 'file' ? 'a file' : '')}`;
}

/**
 * The conversation list, updated in place: each conversation keeps its list item (and the item its parts) from one
 * render to the next. Rebuilding the items on every message would make a click whose press and release straddle a
 * render land on two different elements, and the browser would drop it.
 */
const conversationItems = new Map(); // conversation id -> {item, dot, name, unread, last}

function renderConversations() {
  if (!state.me) {
    return;
  }
  const list = $('conversation-list');
  const sorted = [...state.conversations.values()].sort((a, b) => activityOf(b) - activityOf(a) || b.id - a.id);
  for (const id of [...conversationItems.keys()]) {
    if (!state.conversations.has(id)) {
      conversationItems.delete(id);
    }
  }
  const items = sorted.map((conversation) => {
    let view = conversationItems.get(conversation.id);
    if (!view) {
      view = {
        item: element('li', { 'data-testid': 'conversation-item', 'data-conversation-id': conversation.id }),
        dot: element('span', { 'data-testid': 'online-dot' }),
        name: element('span', { class: 'name', 'data-testid': 'conversation-name' }),
        unread: element('span', { class: 'unread', 'data-testid': 'unread-count' }),
        last: element('span', { class: 'last', 'data-testid': 'conversation-last-message' }),
      };
      view.item.append(view.dot, view.name, view.unread, view.last);
      view.item.addEventListener('click', () => openConversation(conversation.id));
      conversationItems.set(conversation.id, view);
    }
    updateConversationItem(view, conversation);
    return view.item;
  });
  if (items.some((item, i) => list.children[i] !== item) || list.children.length !== items.length) {
    list.replaceChildren(...items);
  }
}

function updateConversationItem(view, conversation) {
  const online = conversation.peer_id ? state.presence.get(conversation.peer_id) === true : null;
  view.item.className = `conversation-item${isActive(conversation.id) ? ' active' : ''}`;
  setData(view.item, { type: conversation.type, 'peer-id': conversation.peer_id, 'group-id': conversation.group_id });
  view.dot.className = `dot ${online == null ? '' : online ? 'online' : 'offline'}`;
  setData(view.dot, { online: online == null ? null : String(online) });
  setText(view.dot, null);
  if (online == null) {
    view.dot.removeAttribute('title');
  } else {
    view.dot.setAttribute('title', online ? 'online' : 'offline');
  }
  setText(view.name,
    conversation.type === 'group' ? `# ${conversation.name}` : conversation.name || nameOf(conversation.peer_id));
  setData(view.unread, { count: conversation.unread_count });
  setText(view.unread, String(conversation.unread_count));
  setText(view.last, preview(conversation.last_message));
}

function setData(node, values) {
  for (const [name, value] of Object.entries(values)) {
    if (value == null) {
      node.removeAttribute(`data-${name}`);
    } else if (node.getAttribute(`data-${name}`) !== String(value)) {
      node.setAttribute(`data-${name}`, String(value));
    }
  }
}

function setText(node, text) {
  const value = text == null ? '' : text;
  if (node.textContent !== value) {
    node.textContent = value;
  }
}

function renderActive(options = {}) {
  const hasChat = state.active != null;
  $('chat-empty').hidden = hasChat;
  $('chat-pane').hidden = !hasChat;
  renderChatHeader();
  renderMessages(options);
  renderTyping();
  renderConversations();
}

function renderChatHeader() {
  if (!state.active) {
    return;
  }
  let title;
  let subtitle = '';
  let peerId = null;
  if (state.active.kind === 'draft') {
    peerId = state.active.peerId;
    title = nameOf(peerId);
    subtitle = `user #${peerId} · new conversation`;
  } else {
    const conversation = state.conversations.get(state.active.id);
    if (!conversation) {
      return;
    }
    if (conversation.type === 'group') {
      title = `# ${conversation.name}`;
      const members = conversation.member_ids || [];
      subtitle = `${members.length} members: ${members.map(nameOf).join(', ')}`;
    } else {
      peerId = conversation.peer_id;
      title = conversation.name || nameOf(peerId);
      subtitle = `user #${peerId}`;
    }
  }
  $('chat-title').textContent = title;
  $('chat-subtitle').textContent = subtitle;
  const dot = $('chat-presence');
  const online = peerId != null ? state.presence.get(peerId) === true : null;
  dot.className = `dot ${online == null ? '' : online ? 'online' : 'offline'}`;
  dot.dataset.online = online == null ? '' : String(online);
}

function statusOf(message, conversationId) {
  if (message.status) {
    return message.status; // a pending entry: sending or failed
  }
  const read = state.peerRead.get(conversationId) || 0;
  return message.seq <= read ? 'read' : 'sent';
}

function renderMessages({ stickToBottom = false } = {}) {
  const list = $('message-list');
  const scroller = $('message-scroller');
  if (!state.active) {
    list.replaceChildren();
    return;
  }
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  let stored = [];
  let pending = [];
  let conversationId = null;
  let conversation = null;
  if (state.active.kind === 'draft') {
    pending = [...(state.drafts.get(state.active.peerId)?.pending.values() || [])];
    $('load-older').hidden = true;
  } else {
    conversationId = state.active.id;
    conversation = state.conversations.get(conversationId);
    const history = historyOf(conversationId);
    stored = [...history.stored.values()].sort((a, b) => a.seq - b.seq);
    pending = [...history.pending.values()];
    $('load-older').hidden = !history.hasMore;
  }
  const isGroup = conversation && conversation.type === 'group';
  const items = [...stored, ...pending].map((message) => {
    const mine = message.sender_id === state.me.id;
    const system = message.type === 'system';
    const item = element('li', {
      class: `message${mine ? ' mine' : ''}${system ? ' system' : ''}`,
      'data-testid': 'message',
      'data-id': message.id,
      'data-seq': message.seq,
      'data-client-msg-id': message.client_msg_id,
      'data-sender-id': message.sender_id,
      'data-mine': String(mine),
    });
    if (isGroup && !mine && !system) {
      item.append(element('span', { class: 'sender', 'data-testid': 'message-sender' }, nameOf(message.sender_id)));
    }
    item.append(element('span', { class: 'content', 'data-testid': 'message-content' }, message.content));
    const meta = element('span', { class: 'meta' });
    const time = message.created_at ? new Date(message.created_at) : null;
    meta.append(document.createTextNode(time ? time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : ''));
    if (mine && !system) {
      const status = statusOf(message, conversationId);
      meta.append(document.createTextNode(' '));
      meta.append(element('span', {
        class: 'status', 'data-testid': 'message-status', 'data-status': status, title: message.error || status,
      }));
    }
    item.append(meta);
    return item;
  });
  list.replaceChildren(...items);
  if (stickToBottom === 'force' || (stickToBottom && (atBottom || pending.length > 0))) {
    scroller.scrollTop = scroller.scrollHeight;
  }
}

function renderTyping() {
  const indicator = $('typing-indicator');
  if (!state.active || state.active.kind !== 'conversation') {
    indicator.textContent = '';
    return;
  }
  const typers = [...(state.typing.get(state.active.id)?.keys() || [])];
  indicator.textContent = typers.length === 0
    ? ''
    : `${typers.map(nameOf).join(', ')} ${typers.length === 1 ? 'is' : 'are'} typing…`;
  indicator.dataset.typing = typers.join(',');
}

// ------------------------------------------------------------------ wiring

window.chatApp = { state, client: null };

async function main() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('new-chat-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const peerId = Number($('new-chat-user-id').value);
    if (Number.isInteger(peerId) && peerId > 0) {
      $('new-chat-user-id').value = '';
      openPrivateChat(peerId);
    }
  });
  $('new-group-form').addEventListener('submit', createGroup);
  $('composer').addEventListener('submit', sendFromComposer);
  $('composer-input').addEventListener('input', onComposerInput);
  $('composer-input').addEventListener('blur', stopTypingInActive);
  $('load-older').addEventListener('click', loadOlder);
  $('message-scroller').addEventListener('scroll', () => {
    if ($('message-scroller').scrollTop < 30) {
      loadOlder();
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      markActiveRead();
      renderConversations();
    }
  });
  window.addEventListener('online', () => {
    if (state.client && state.client.state === 'reconnecting') {
      state.client.reconnectNow();
    }
  });

  await loadConfig();
  const saved = sessionStorage.getItem(SESSION_KEY);
  if (saved) {
    try {
      state.session = JSON.parse(saved);
      await startApp();
    } catch (e) {
      sessionStorage.removeItem(SESSION_KEY);
      state.session = null;
      $('login').hidden = false;
      $('app').hidden = true;
      $('login-error').textContent = `Please log in again (${e.message}).`;
    }
  }
  document.body.dataset.ready = 'true';
}

main();
