// Each conversation's history: the latest page, older pages on scroll, merged by message id.

import { isActive } from './actions.js';
import { api, messageUrl } from './api.js';
import { ensureUsers } from './session.js';
import { $, HISTORY_PAGE, state } from './state.js';
import { renderActive, renderMessages } from './views.js';

export function historyOf(conversationId) {
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

export async function loadLatest(conversationId) {
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

export async function loadOlder() {
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

export function addHistoryPage(history, page) {
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
