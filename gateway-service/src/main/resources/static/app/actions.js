// What the user does: open a conversation, send, type, create a group, mark read.

import { api, messageUrl } from './api.js';
import { historyOf, loadLatest } from './histories.js';
import { ensureUsers, fetchConversation, mergeConversation, queryPresence } from './session.js';
import { $, state } from './state.js';
import { renderActive, renderConversations, renderMessages } from './views.js';

export function isActive(conversationId) {
  return state.active && state.active.kind === 'conversation' && state.active.id === conversationId;
}

export function markActiveRead() {
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

export async function openConversation(conversationId) {
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

export async function openPrivateChat(peerId) {
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

export function adoptDraft(peerId, conversationId) {
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

export function client() {
  return state.client;
}

export function sendFromComposer(event) {
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

export function typingTarget() {
  if (!state.active || state.active.kind !== 'conversation') {
    return null;
  }
  return { conversation_id: state.active.id };
}

export function onComposerInput() {
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

export function stopTypingInActive() {
  const target = typingTarget();
  if (target && state.client) {
    state.client.stopTyping(target);
  }
}

export async function createGroup(event) {
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

export function closeChat() {
  state.active = null;
  renderActive();
}
