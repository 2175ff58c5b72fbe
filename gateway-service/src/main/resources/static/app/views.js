// Rendering: the conversation list, the open chat, its messages and the typing line.

import { isActive, openConversation } from './actions.js';
import { historyOf } from './histories.js';
import { nameOf } from './session.js';
import { $, state } from './state.js';

export function element(tag, attributes = {}, text = null) {
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

export function activityOf(conversation) {
  return conversation.last_message ? Date.parse(conversation.last_message.created_at) : 0;
}

export function preview(message) {
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
export const conversationItems = new Map(); // conversation id -> {item, dot, name, unread, last}

export function renderConversations() {
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

export function updateConversationItem(view, conversation) {
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

export function setData(node, values) {
  for (const [name, value] of Object.entries(values)) {
    if (value == null) {
      node.removeAttribute(`data-${name}`);
    } else if (node.getAttribute(`data-${name}`) !== String(value)) {
      node.setAttribute(`data-${name}`, String(value));
    }
  }
}

export function setText(node, text) {
  const value = text == null ? '' : text;
  if (node.textContent !== value) {
    node.textContent = value;
  }
}

export function renderActive(options = {}) {
  const hasChat = state.active != null;
  $('chat-empty').hidden = hasChat;
  $('chat-pane').hidden = !hasChat;
  renderChatHeader();
  renderMessages(options);
  renderTyping();
  renderConversations();
}

export function renderChatHeader() {
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

export function statusOf(message, conversationId) {
  if (message.status) {
    return message.status; // a pending entry: sending or failed
  }
  const read = state.peerRead.get(conversationId) || 0;
  return message.seq <= read ? 'read' : 'sent';
}

export function renderMessages({ stickToBottom = false } = {}) {
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

export function renderTyping() {
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
