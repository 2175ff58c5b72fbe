// ERP Chat JavaScript client: a plain ES module, no build step and no dependencies.
//
// It speaks the gateway's WebSocket protocol (docs/protocol.md) and generalizes the seed's ChatWebSocket:
// - authenticates with a first `auth` frame, so the token never appears in a URL (`?token=` only when asked to);
// - reconnects for as long as needed, with capped exponential backoff and full jitter;
// - keeps, per conversation, the highest `seq` it holds and sends `resume` after every (re)connect;
// - sends with a `client_msg_id`, tracks each send until it is acknowledged, and retries it with the SAME id (after a
//   reconnect, a rate limit or a timeout), so that a message can never be stored twice; a replayed copy of one's own
//   message resolves the pending send;
// - delivers every message once (deduplicated by id), throttles typing, follows presence, refreshes the token when
//   the gateway warns that it expires, and detects dead connections with an application-level ping.
// docs/web-client.md describes the API. This module is the connection and the sends; ./client/ holds the parts that
// need no socket (positions, listeners, backoff, storage), each tested on its own.

import { backoffDelay } from './client/backoff.js';
import { Listeners } from './client/listeners.js';
import { Positions, SeenIds, resumeFrames } from './client/positions.js';
import { SendError, Sends } from './client/sends.js';
import { MemoryStorage } from './client/storage.js';

export { backoffDelay, resumeFrames, MemoryStorage, SendError };

/** Connection states reported by the `state` event and the `state` getter. */
export const States = Object.freeze({
  IDLE: 'idle',
  CONNECTING: 'connecting',
  OPEN: 'open',
  RECONNECTING: 'reconnecting',
  CLOSED: 'closed',
});

const OPEN_READY_STATE = 1;
const RETRYABLE_SEND_ERRORS = new Set(['rate_limited', 'internal_error', 'unavailable']);

function defaultUrl() {
  const location = globalThis.location;
  if (!location || !location.host) {
    throw new Error('ChatClient: give the gateway url (ws://host:port/ws); there is no page location to derive it from');
  }
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}/ws`;
}

function defaultClientMsgId() {
  if (globalThis.crypto && typeof globalThis.crypto.randomUUID === 'function') {
    return globalThis.crypto.randomUUID();
  }
  // Very old browsers only: still unique enough per sender, and printable ASCII as the protocol requires.
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

function targetOf(target) {
  if (target == null || typeof target !== 'object') {
    throw new TypeError('typing target must be {conversation_id}, {receiver_id} or {group_id}');
  }
  for (const field of ['conversation_id', 'receiver_id', 'group_id']) {
    if (target[field] != null) {
      return { field, id: Number(target[field]), key: `${field}:${target[field]}` };
    }
  }
  throw new TypeError('typing target must be {conversation_id}, {receiver_id} or {group_id}');
}

export class ChatClient {
  /**
   * @param {object} options
   * @param {string} [options.url] WebSocket URL of the gateway's `/ws`; default: same host as the page
   * @param {(context: {reason: string}) => Promise<string>|string} [options.getToken] returns a valid token; called
   *     before the first connection, when the gateway says the token is expiring, and after it rejected one
   * @param {string} [options.token] a fixed token instead of (or before) getToken
   * @param {boolean} [options.tokenInQuery=false] put the token in `?token=` (the seed's way) instead of a first
   *     `auth` frame; only for servers that cannot take the frame
   * @param {Function} [options.WebSocketImpl=globalThis.WebSocket] the WebSocket constructor
   * @param {{getItem, setItem}} [options.storage] where positions are kept (default in memory; pass localStorage)
   * @param {string} [options.storageKey='erpchat.positions'] key prefix in the storage (the user id is appended)
   * @param {boolean} [options.resume=true] send `resume` after each connect
   * @param {{baseMs: number, maxMs: number}} [options.backoff] reconnect backoff (default 500 ms doubling to 30 s)
   * @param {number} [options.pingIntervalMs] app-level ping period (default: the server's `ping_interval_ms`, 25 s)
   * @param {number} [options.pongTimeoutMs=10000] a ping without `pong` for this long means a dead connection
   * @param {number} [options.typingIntervalMs=3000] at most one `typing` per conversation in this time
   * @param {number} [options.ackTimeoutMs=20000] a send without acknowledgement for this long is sent again
   * @param {number} [options.tokenRefreshMarginMs=60000] a known-expiring token is renewed before reconnecting
   * @param {() => number} [options.random=Math.random] random source for the jitter
   * @param {() => number} [options.now=Date.now] clock
   * @param {{setTimeout: Function, clearTimeout: Function}} [options.timers] timer functions (tests inject fakes)
   * @param {() => string} [options.newClientMsgId] generator of client_msg_ids (default crypto.randomUUID)
   * @param {{debug: Function, warn: Function}} [options.logger] where diagnostics go (default: nowhere)
   */
  constructor(options = {}) {
    this.options = options;
    this.url = options.url;
    this.getTokenFn = options.getToken || null;
    this.token = options.token || null;
    if (!this.getTokenFn && !this.token) {
      throw new TypeError('ChatClient needs a token or a getToken function');
    }
    this.WebSocketImpl = options.WebSocketImpl || globalThis.WebSocket;
    if (typeof this.WebSocketImpl !== 'function') {
      throw new TypeError('No WebSocket implementation: pass WebSocketImpl');
    }
    this.useResume = options.resume !== false;
    this.backoffOptions = { baseMs: 500, maxMs: 30000, ...(options.backoff || {}) };
    this.pongTimeoutMs = options.pongTimeoutMs ?? 10000;
    this.typingIntervalMs = options.typingIntervalMs ?? 3000;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 20000;
    this.tokenRefreshMarginMs = options.tokenRefreshMarginMs ?? 60000;
    this.resumeTimeoutMs = options.resumeTimeoutMs ?? 60000;
    this.random = options.random || Math.random;
    this.now = options.now || (() => Date.now());
    const timers = options.timers || {};
    this.setTimer = timers.setTimeout || ((fn, ms) => globalThis.setTimeout(fn, ms));
    this.clearTimer = timers.clearTimeout || ((handle) => globalThis.clearTimeout(handle));
    this.newClientMsgId = options.newClientMsgId || defaultClientMsgId;
    this.logger = options.logger || { debug() {}, warn() {} };

    this.listeners = new Listeners(this.logger);
    this.currentState = States.IDLE;
    this.ws = null;
    this.connection = 0; // increases with every socket; stale callbacks compare against it
    this.attempt = 0;
    this.reconnectTimer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    this.stopped = false;
    this.authenticated = false;
    this.resuming = false;
    this.tokenRejected = false;
    this.tokenExpiresAt = null;
    this.session = null;
    this.userIdValue = null;
    this.maxFrameBytes = 16384;
    this.pingIntervalMs = options.pingIntervalMs ?? null;

    this.held = new Positions(options.storage || new MemoryStorage(), options.storageKey || 'erpchat.positions', this.logger);
    this.seenIds = new SeenIds();
    this.sends = new Sends(
      {
        canSend: () => this.authenticated && !this.resuming && this.isOpen(),
        connection: () => this.connection,
        rawSend: (event, data) => this.rawSend(event, data),
        emit: (event, payload) => this.emit(event, payload),
      },
      {
        ackTimeoutMs: this.ackTimeoutMs,
        backoff: this.backoffOptions,
        random: this.random,
        setTimer: this.setTimer,
        clearTimer: this.clearTimer,
      },
    );
    this.resumeTimer = null;
    this.typingSent = new Map(); // target key -> time the last is_typing:true was sent
    this.presenceMap = new Map();
    this.presenceSubscription = [];
  }

  // ---------------------------------------------------------------- events

  /** Adds a listener; returns a function that removes it. */
  on(event, fn) {
    return this.listeners.on(event, fn);
  }

  off(event, fn) {
    this.listeners.off(event, fn);
  }

  emit(event, ...args) {
    this.listeners.emit(event, ...args);
  }

  // ---------------------------------------------------------------- state

  get state() {
    return this.currentState;
  }

  /** The authenticated user's id, known after the first `connected`. */
  get userId() {
    return this.userIdValue;
  }

  /** The `connected` frame's data of the current connection, or null. */
  get connectionInfo() {
    return this.session;
  }

  setState(state) {
    if (state === this.currentState) {
      return;
    }
    const previous = this.currentState;
    this.currentState = state;
    this.emit('state', { state, previous });
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Starts connecting (and keeps reconnecting until close()). Resolves on the first `connected`; rejects if the
   * client is closed for good before that (close(), or 4002).
   */
  connect() {
    if (this.currentState === States.IDLE || this.currentState === States.CLOSED) {
      this.stopped = false;
      this.attempt = 0;
      this.setState(States.CONNECTING);
      this.firstConnect = new Promise((resolve, reject) => {
        this.resolveFirstConnect = resolve;
        this.rejectFirstConnect = reject;
      });
      this.firstConnect.catch(() => {});
      this.openSocket();
    }
    return this.firstConnect;
  }

  /** Closes the connection for good: no reconnect. Pending sends stay pending (a later connect() retries them). */
  close(code = 1000, reason = 'client closed') {
    this.stopped = true;
    this.clearTimers();
    const ws = this.ws;
    this.detach();
    if (ws) {
      try {
        ws.close(code, reason);
      } catch (e) {
        this.logger.debug('close failed', e);
      }
    }
    this.finish({ code, reason, byClient: true });
  }

  finish(info) {
    this.authenticated = false;
    this.resuming = false;
    this.setState(States.CLOSED);
    this.emit('closed', info);
    if (this.rejectFirstConnect) {
      this.rejectFirstConnect(Object.assign(new Error(`connection closed (${info.code})`), info));
      this.rejectFirstConnect = null;
      this.resolveFirstConnect = null;
    }
  }

  clearTimers() {
    for (const name of ['reconnectTimer', 'pingTimer', 'pongTimer', 'resumeTimer']) {
      if (this[name] != null) {
        this.clearTimer(this[name]);
        this[name] = null;
      }
    }
    this.sends.stopTimers();
  }

  async obtainToken(reason) {
    if (this.getTokenFn) {
      const token = await this.getTokenFn({ reason });
      if (!token) {
        throw new Error('getToken returned no token');
      }
      this.token = token;
      this.tokenRejected = false;
    }
    return this.token;
  }

  needsFreshToken() {
    if (!this.token || this.tokenRejected) {
      return true;
    }
    return this.tokenExpiresAt != null && this.tokenExpiresAt - this.now() < this.tokenRefreshMarginMs;
  }

  async openSocket() {
    const connection = ++this.connection;
    let token;
    try {
      if (this.needsFreshToken() && this.getTokenFn) {
        const reason = !this.token ? 'connect' : this.tokenRejected ? 'rejected' : 'expiring';
        token = await this.obtainToken(reason);
      } else {
        token = this.token;
      }
    } catch (e) {
      this.logger.warn('chat-client: getToken failed', e);
      if (connection === this.connection && !this.stopped) {
        this.scheduleReconnect();
      }
      return;
    }
    if (connection !== this.connection || this.stopped) {
      return;
    }
    const base = this.url || defaultUrl();
    // Declaring the resume at connect time makes the gateway hold live messages until our resume arrives, so none
    // can overtake the ones we missed (docs/protocol.md §8).
    const params = [];
    if (this.options.tokenInQuery) {
      params.push(`token=${encodeURIComponent(token)}`);
      if (this.useResume) {
        params.push('resume=true');
      }
      params.push('presence_batch=true');
    }
    const url = params.length ? `${base}${base.includes('?') ? '&' : '?'}${params.join('&')}` : base;
    let ws;
    try {
      ws = new this.WebSocketImpl(url);
    } catch (e) {
      this.logger.warn('chat-client: cannot open a WebSocket', e);
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.authenticated = false;
    this.resuming = false;
    ws.onopen = () => {
      if (connection !== this.connection) {
        return;
      }
      if (!this.options.tokenInQuery) {
        this.rawSend('auth', this.useResume
          ? { token, resume: true, presence_batch: true }
          : { token, presence_batch: true });
      }
    };
    ws.onmessage = (event) => {
      if (connection === this.connection) {
        this.receive(event.data);
      }
    };
    ws.onerror = () => {
      // Always followed by a close, which decides what to do.
    };
    ws.onclose = (event) => {
      if (connection === this.connection) {
        this.socketClosed(event.code, event.reason || '');
      }
    };
  }

  detach() {
    const ws = this.ws;
    this.connection++;
    this.ws = null;
    if (ws) {
      ws.onopen = null;
      ws.onmessage = null;
      ws.onerror = null;
      ws.onclose = null;
    }
    for (const name of ['pingTimer', 'pongTimer', 'resumeTimer']) {
      if (this[name] != null) {
        this.clearTimer(this[name]);
        this[name] = null;
      }
    }
    this.sends.connectionLost();
  }

  /** The connection ended (closed by the server, by the network, or by us after a missed pong). */
  socketClosed(code, reason) {
    this.detach();
    this.authenticated = false;
    this.resuming = false;
    this.emit('disconnected', { code, reason });
    if (this.stopped) {
      return;
    }
    if (code === 4002) {
      // Too many sessions for this user and this was the oldest: reconnecting would close another tab.
      this.stopped = true;
      this.clearTimers();
      this.finish({ code, reason, byClient: false });
      return;
    }
    if (code === 1000) {
      // A normal close by the server: nothing to do, as docs/protocol.md says.
      this.stopped = true;
      this.clearTimers();
      this.finish({ code, reason, byClient: false });
      return;
    }
    if (code === 1008 && /token|auth/i.test(reason)) {
      this.tokenRejected = true;
    }
    if (code === 1012) {
      // The gateway is restarting: another instance takes the connection at once (still jittered, as all do it).
      this.scheduleReconnect(0);
      return;
    }
    this.scheduleReconnect();
  }

  scheduleReconnect(forcedAttempt) {
    if (this.stopped || this.reconnectTimer != null) {
      return;
    }
    this.setState(this.userIdValue == null && this.currentState === States.CONNECTING
      ? States.CONNECTING
      : States.RECONNECTING);
    const attempt = forcedAttempt ?? this.attempt;
    const delay = backoffDelay(attempt, this.backoffOptions, this.random);
    this.attempt = Math.min(this.attempt + 1, 30);
    this.emit('reconnect_scheduled', { attempt, delay });
    this.reconnectTimer = this.setTimer(() => {
      this.reconnectTimer = null;
      if (!this.stopped) {
        this.openSocket();
      }
    }, delay);
  }

  /** Drops the current connection and reconnects (e.g. when the page learns the network is back). */
  reconnectNow() {
    if (this.stopped || this.currentState === States.IDLE) {
      return;
    }
    if (this.reconnectTimer != null) {
      this.clearTimer(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    const ws = this.ws;
    this.detach();
    if (ws) {
      try {
        ws.close(4000, 'client reconnecting');
      } catch (e) {
        this.logger.debug('close failed', e);
      }
    }
    this.setState(States.RECONNECTING);
    this.openSocket();
  }

  // ---------------------------------------------------------------- frames in

  receive(text) {
    let frame;
    try {
      frame = JSON.parse(typeof text === 'string' ? text : String(text));
    } catch (e) {
      this.logger.warn('chat-client: unreadable frame', e);
      return;
    }
    if (!frame || typeof frame.event !== 'string') {
      return;
    }
    const data = frame.data || {};
    this.emit('frame', frame);
    this.sawTraffic();
    switch (frame.event) {
      case 'connected':
        this.onConnected(data);
        break;
      case 'private_message':
      case 'group_message':
      case 'message_sent':
        this.onMessage(frame.event, data);
        break;
      case 'message_error':
        this.onMessageError(data);
        break;
      case 'resume_result':
        this.onResumeResult(data);
        break;
      case 'user_typing':
        this.emit('typing', data);
        break;
      case 'user_online_status':
        this.onPresence(data);
        break;
      case 'presence_batch':
        // Many status changes in one frame (we declared presence_batch): each is a 'presence' event, as if alone.
        for (const status of data.statuses || []) {
          this.onPresence(status);
        }
        break;
      case 'conversation_read':
        this.emit('read', data);
        break;
      case 'group_updated':
        this.emit('group_updated', data);
        break;
      case 'token_expiring':
        this.onTokenExpiring(data);
        break;
      case 'token_refreshed':
        this.tokenExpiresAt = data.token_expires_at ? Date.parse(data.token_expires_at) : null;
        this.emit('token_refreshed', data);
        break;
      case 'pong':
        break;
      case 'error':
        this.onError(data);
        break;
      default:
        // Unknown events are ignored, as the protocol asks.
        break;
    }
  }

  onConnected(data) {
    this.authenticated = true;
    this.session = data;
    this.tokenRejected = false;
    this.tokenExpiresAt = data.token_expires_at ? Date.parse(data.token_expires_at) : null;
    if (data.max_frame_bytes) {
      this.maxFrameBytes = data.max_frame_bytes;
    }
    const userId = data.user_id != null ? Number(data.user_id) : null;
    if (userId != null && this.held.userId !== userId) {
      if (this.held.userId != null) {
        // Another user on this client: forget the previous user's state.
        this.held.clear();
        this.seenIds.clear();
      }
      this.held.load(userId);
    }
    this.userIdValue = userId;
    this.setState(States.OPEN);
    this.emit('connected', data);
    if (this.resolveFirstConnect) {
      this.resolveFirstConnect(data);
      this.resolveFirstConnect = null;
      this.rejectFirstConnect = null;
    }
    this.startPing();
    if (this.presenceSubscription.length > 0) {
      this.rawSend('presence_subscribe', { user_ids: this.presenceSubscription });
    }
    if (this.useResume) {
      this.resuming = true;
      for (const frame of resumeFrames(this.positions(), this.maxFrameBytes)) {
        this.rawSend('resume', frame);
      }
      const connection = this.connection;
      this.resumeTimer = this.setTimer(() => {
        // No resume_result for far too long: stop holding sends back (they are safe to send at any time).
        this.resumeTimer = null;
        if (connection === this.connection && this.resuming) {
          this.resuming = false;
          this.sends.flush();
        }
      }, this.resumeTimeoutMs);
    } else {
      this.attempt = 0;
      this.sends.flush();
    }
  }

  onResumeResult(data) {
    this.resuming = false;
    if (this.resumeTimer != null) {
      this.clearTimer(this.resumeTimer);
      this.resumeTimer = null;
    }
    if (data.complete) {
      for (const [conversationId, seq] of Object.entries(data.positions || {})) {
        this.held.advance(conversationId, seq);
      }
      this.attempt = 0;
      this.emit('resumed', data);
      this.sends.flush();
    } else {
      // The gateway closes the connection next (1013 or 1008); the reconnect resumes again.
      this.emit('resumed', data);
    }
  }

  onMessage(event, message) {
    if (message.conversation_id != null && message.seq != null) {
      this.held.advance(message.conversation_id, message.seq);
    }
    const own = message.sender_id != null && Number(message.sender_id) === this.userIdValue;
    const fresh = message.id == null || !this.seenIds.has(message.id);
    if (message.id != null) {
      this.seenIds.add(message.id);
    }
    if (fresh) {
      this.emit('message', message, { event, own, replayed: this.resuming });
    }
    const settled = own && this.sends.stored(message.client_msg_id, message);
    if (!settled && event === 'message_sent' && fresh) {
      // An acknowledgement of a frame sent with sendRaw (no pending send to resolve).
      this.emit('ack', { client_msg_id: message.client_msg_id, message });
    }
  }

  onMessageError(data) {
    if (!this.sends.has(data.client_msg_id)) {
      this.emit('send_error', data);
      return;
    }
    if (RETRYABLE_SEND_ERRORS.has(data.code)) {
      const wait = data.code === 'rate_limited' && data.retry_after_ms != null ? Number(data.retry_after_ms) : undefined;
      const delay = this.sends.retryLater(data.client_msg_id, wait);
      this.emit('send_retry', { client_msg_id: data.client_msg_id, code: data.code, delay });
      return;
    }
    this.sends.refused(data.client_msg_id, new SendError(data.code, data.message, data));
  }

  onError(data) {
    if (data.code === 'invalid_token') {
      if (!this.authenticated) {
        this.tokenRejected = true;
      }
    } else if (data.client_msg_id != null && this.sends.has(data.client_msg_id)) {
      if (data.code === 'rate_limited' || data.code === 'unavailable' || data.code === 'not_authenticated') {
        this.sends.retryLater(data.client_msg_id);
      } else {
        this.sends.refused(data.client_msg_id, new SendError(data.code, data.message, data));
      }
    }
    this.emit('error', data);
  }

  async onTokenExpiring(data) {
    this.emit('token_expiring', data);
    if (!this.getTokenFn) {
      return;
    }
    const connection = this.connection;
    try {
      const token = await this.obtainToken('expiring');
      if (connection === this.connection && this.authenticated) {
        this.rawSend('auth', { token });
      }
    } catch (e) {
      this.logger.warn('chat-client: could not refresh the token', e);
    }
  }

  // ---------------------------------------------------------------- keepalive

  sawTraffic() {
    if (this.pongTimer != null) {
      this.clearTimer(this.pongTimer);
      this.pongTimer = null;
    }
  }

  startPing() {
    const interval = this.pingIntervalMs ?? (this.session && this.session.ping_interval_ms) ?? 25000;
    const connection = this.connection;
    const tick = () => {
      this.pingTimer = null;
      if (connection !== this.connection || !this.isOpen()) {
        return;
      }
      this.rawSend('ping', {});
      if (this.pongTimer == null) {
        this.pongTimer = this.setTimer(() => {
          this.pongTimer = null;
          if (connection === this.connection) {
            this.deadConnection();
          }
        }, this.pongTimeoutMs);
      }
      this.pingTimer = this.setTimer(tick, interval);
    };
    this.pingTimer = this.setTimer(tick, interval);
  }

  deadConnection() {
    this.logger.debug('chat-client: no pong, reconnecting');
    const ws = this.ws;
    this.detach();
    if (ws) {
      try {
        ws.close(4000, 'no pong');
      } catch (e) {
        this.logger.debug('close failed', e);
      }
    }
    this.authenticated = false;
    this.resuming = false;
    this.emit('disconnected', { code: 4000, reason: 'no pong' });
    this.scheduleReconnect();
  }

  // ---------------------------------------------------------------- frames out

  isOpen() {
    return this.ws != null && this.ws.readyState === OPEN_READY_STATE;
  }

  rawSend(event, data) {
    if (!this.isOpen()) {
      return false;
    }
    try {
      this.ws.send(JSON.stringify({ event, data }));
      return true;
    } catch (e) {
      this.logger.warn('chat-client: send failed', e);
      return false;
    }
  }

  /** Sends a frame as is, when connected and authenticated; returns whether it was sent. */
  sendRaw(event, data) {
    return this.authenticated && this.rawSend(event, data);
  }

  /**
   * Sends a private message. Returns a promise of the stored message (resolved by `message_sent`, or by a replayed
   * copy), rejected with a SendError if the server refuses it for good. The promise carries `clientMsgId`.
   */
  sendPrivate(receiverId, content, options = {}) {
    return this.enqueueSend('send_private_message', { receiver_id: Number(receiverId) }, content, options);
  }

  /** Sends a group message; as sendPrivate. */
  sendGroup(groupId, content, options = {}) {
    return this.enqueueSend('send_group_message', { group_id: Number(groupId) }, content, options);
  }

  enqueueSend(event, target, content, options) {
    const data = {
      ...target,
      content,
      type: options.type || 'text',
      file_id: options.fileId ?? null,
      client_msg_id: options.clientMsgId || this.newClientMsgId(),
    };
    return this.sends.track(event, data, this.maxFrameBytes, () => {
      // Sending ends typing in that conversation (the server says so to the others), so the next keystroke may tell.
      if (target.receiver_id != null) {
        this.typingSent.delete(`receiver_id:${target.receiver_id}`);
      } else {
        this.typingSent.delete(`group_id:${target.group_id}`);
        this.typingSent.delete(`conversation_id:${target.group_id}`);
      }
    });
  }

  /** Unacknowledged sends, oldest first. */
  pendingSends() {
    return this.sends.list();
  }

  /**
   * Says the user is typing in a conversation ({conversation_id}, {receiver_id} or {group_id}). Call it on every
   * keystroke: at most one `typing` frame per conversation goes out per typingIntervalMs.
   */
  typing(target) {
    const { field, id, key } = targetOf(target);
    const last = this.typingSent.get(key);
    const now = this.now();
    if (last != null && now - last < this.typingIntervalMs) {
      return false;
    }
    if (this.sendRaw('typing', { [field]: id, is_typing: true })) {
      this.typingSent.set(key, now);
      return true;
    }
    return false;
  }

  /** Says the user stopped typing (only sent if a `typing` was). */
  stopTyping(target) {
    const { field, id, key } = targetOf(target);
    if (!this.typingSent.has(key)) {
      return false;
    }
    this.typingSent.delete(key);
    return this.sendRaw('typing', { [field]: id, is_typing: false });
  }

  /** Marks a conversation read up to seq. */
  markRead(conversationId, seq) {
    return this.sendRaw('mark_read', { conversation_id: Number(conversationId), seq: Number(seq) });
  }

  // ---------------------------------------------------------------- presence

  /** The last known presence of a user ({is_online, last_seen_at}), or undefined. */
  presenceOf(userId) {
    return this.presenceMap.get(Number(userId));
  }

  /**
   * Follows these users' status (those a page shows, such as the members of a large group, whose status is not pushed
   * otherwise): their current status arrives as 'presence' events, then every change. Replaces the previous list;
   * an empty list stops following. Kept across reconnects.
   */
  subscribePresence(userIds) {
    this.presenceSubscription = [...new Set([...userIds].map(Number))];
    return this.sendRaw('presence_subscribe', { user_ids: this.presenceSubscription });
  }

  onPresence(data) {
    this.presenceMap.set(Number(data.user_id), { is_online: !!data.is_online, last_seen_at: data.last_seen_at });
    this.emit('presence', data);
  }

  /** Records presence learned elsewhere (e.g. presence-service's REST query) so presenceOf() knows it. */
  notePresence(entries) {
    for (const entry of entries) {
      this.presenceMap.set(Number(entry.user_id), { is_online: !!entry.is_online, last_seen_at: entry.last_seen_at });
    }
  }

  // ---------------------------------------------------------------- positions

  /** A copy of the positions: {"<conversation id>": highest seq held}. */
  positions() {
    return this.held.all();
  }

  /** The highest seq held in a conversation (0 if none). */
  positionOf(conversationId) {
    return this.held.of(conversationId);
  }

  /**
   * Tells the client the app already holds a conversation up to seq (e.g. after loading it over REST), so that
   * resume does not replay it. Positions only move forward.
   */
  notePosition(conversationId, seq) {
    this.held.advance(conversationId, seq);
  }

  /** notePosition for many: {"<conversation id>": seq}. */
  notePositions(positions) {
    for (const [conversationId, seq] of Object.entries(positions || {})) {
      this.held.advance(conversationId, seq);
    }
  }

  /** Marks message ids as already delivered to the app (e.g. loaded over REST), so they are not emitted again. */
  noteSeen(ids) {
    for (const id of ids) {
      this.seenIds.add(id);
    }
  }
}

export default ChatClient;
