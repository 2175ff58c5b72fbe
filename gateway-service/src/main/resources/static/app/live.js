// What arrives live through the client: messages, acknowledgements, typing, presence, read markers, groups.

import { adoptDraft, closeChat, isActive, markActiveRead } from './actions.js';
import { historyOf } from './histories.js';
import { ensureUsers, fetchConversation, loadConversations, mergeConversation, nameOf } from './session.js';
import { $, TYPING_EXPIRY_MS, state } from './state.js';
import { renderChatHeader, renderConversations, renderMessages, renderTyping } from './views.js';

export function onState({ state: connectionState }) {
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

export function onResumed(result) {
  if (state.wasResumed) {
    // Back after a disconnect: the replay brought the messages; the list's counters and names are refreshed too.
    loadConversations().catch((e) => console.warn('conversation refresh failed', e));
  }
  state.wasResumed = true;
  if (!result.complete) {
    console.warn('resume incomplete', result.reason);
  }
}

export function onMessage(message) {
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

export function onAck({ client_msg_id: clientMsgId, message }) {
  if (message) {
    onMessage(message);
  }
  for (const history of state.histories.values()) {
    history.pending.delete(clientMsgId);
  }
}

export function onSendError(error) {
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

export function onTyping(data) {
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

export function clearTyping(conversationId, userId) {
  const typers = state.typing.get(conversationId);
  if (typers && typers.has(userId)) {
    clearTimeout(typers.get(userId));
    typers.delete(userId);
    renderTyping();
  }
}

export function onPresence(data) {
  state.presence.set(Number(data.user_id), !!data.is_online);
  renderConversations();
  renderChatHeader();
}

export function onRead(data) {
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

export function onGroupUpdated(data) {
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
