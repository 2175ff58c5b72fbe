// ERP Chat web app: plain ES module, no framework, no build step. Uses the gateway's JavaScript client
// (js/chat-client.js) for everything live and message-service / presence-service REST APIs for lists and history,
// called from the browser with the user's bearer token. /config.json (served by the gateway) says where those are.
//
// app/ holds its parts, one module each: state, api (REST), session (login, start), histories, live (the
// client's events), actions (what the user does) and views (rendering). This file wires them to the page.

import {
  createGroup,
  markActiveRead,
  onComposerInput,
  openPrivateChat,
  sendFromComposer,
  stopTypingInActive,
} from './app/actions.js';
import { loadOlder } from './app/histories.js';
import { loadConfig, login, logout, startApp } from './app/session.js';
import { $, SESSION_KEY, state } from './app/state.js';
import { renderConversations } from './app/views.js';

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
