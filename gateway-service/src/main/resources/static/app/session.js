// Logging in and out, tokens for the client, and starting the app: config, conversations, users, presence.

import { ChatClient } from '../js/chat-client.js';
import { isActive } from './actions.js';
import { api, decodeJwt, fetchDevToken, messageUrl, presenceUrl, refreshDevToken } from './api.js';
import {
  onAck,
  onGroupUpdated,
  onMessage,
  onPresence,
  onRead,
  onResumed,
  onSendError,
  onState,
  onTyping,
} from './live.js';
import { $, SESSION_KEY, state } from './state.js';
import { renderActive, renderChatHeader, renderConversations } from './views.js';

let configLoaded = null;

/**
 * Reads /config.json once; every caller waits for that one read. The login form works before it is in (the page's
 * load event does not wait for it), so a login submitted early waits for it instead of finding no token issuer.
 */
export function loadConfig() {
  configLoaded ??= readConfig();
  return configLoaded;
}

async function readConfig() {
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

export async function login(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  const pasted = $('login-token').value.trim();
  try {
    await loadConfig();
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

export function logout() {
  if (state.client) {
    state.client.close();
  }
  sessionStorage.removeItem(SESSION_KEY);
  window.location.reload();
}

export async function getToken({ reason }) {
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


export async function startApp() {
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

export async function loadConversations() {
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

export function mergeConversation(view) {
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

export async function fetchConversation(id) {
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

export async function queryPresence(userIds) {
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

export async function ensureUsers(ids) {
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

export function nameOf(userId) {
  return state.users.get(userId) || `User ${userId}`;
}
