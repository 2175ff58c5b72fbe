// A small WebSocket server that behaves as docs/protocol.md says the gateway does, for the client's unit tests:
// authentication by query token or first `auth` frame, `connected`, sends stored at most once per
// (sender, client_msg_id) with per-conversation seq, `message_sent` to the sending session and
// `private_message`/`group_message` to the others, `resume` replay followed by `resume_result`, `pong`,
// token refresh, and close codes on demand. Tests can also make it misbehave the way networks do (lose an ack,
// lose a frame, refuse connections, stop answering pings).

import { EventEmitter } from 'node:events';
import { WebSocketServer } from 'ws';

export class ProtocolFixture extends EventEmitter {
  constructor() {
    super();
    this.tokens = new Map(); // token -> {userId, expiresAt}
    this.tokenCounter = 0;
    this.connections = [];
    this.conversations = new Map(); // id -> {id, type, members: number[], lastSeq, messages: []}
    this.privateIds = new Map(); // "a:b" -> conversation id
    this.byClientMsgId = new Map(); // "sender:client_msg_id" -> message
    this.nextConversationId = 100;
    this.messageCounter = 0;
    this.refuseConnections = 0; // refuse this many upgrades (HTTP 503)
    this.refusedCount = 0;
    this.loseNextSends = 0; // frames swallowed without storing (lost on the way)
    this.loseNextAcks = 0; // stored, but message_sent never sent
    this.rateLimitNextSends = 0;
    this.rateLimitRetryAfterMs = 1500;
    this.answerPings = true;
    this.stored = [];
  }

  async start() {
    this.server = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      verifyClient: (info, done) => {
        if (this.refuseConnections > 0) {
          this.refuseConnections--;
          this.refusedCount++;
          this.emit('refused');
          done(false, 503, 'shutting down');
          return;
        }
        const url = new URL(info.req.url, 'http://fixture');
        if (url.pathname !== '/ws') {
          done(false, 404);
          return;
        }
        const token = url.searchParams.get('token');
        if (token != null && !this.tokens.has(token)) {
          done(false, 401, 'invalid token');
          return;
        }
        done(true);
      },
    });
    await new Promise((resolve) => this.server.once('listening', resolve));
    this.server.on('connection', (socket, request) => this.accept(socket, request));
    this.url = `ws://127.0.0.1:${this.server.address().port}/ws`;
    return this;
  }

  async stop() {
    for (const connection of this.connections) {
      connection.socket.terminate();
    }
    await new Promise((resolve) => this.server.close(resolve));
  }

  issueToken(userId, { expiresInMs = 3600000 } = {}) {
    const token = `tok-${userId}-${++this.tokenCounter}`;
    this.tokens.set(token, { userId, expiresAt: new Date(Date.now() + expiresInMs) });
    return token;
  }

  revokeToken(token) {
    this.tokens.delete(token);
  }

  /** A connection's frames as parsed objects, and helpers to act as the server on it. */
  accept(socket, request) {
    const url = new URL(request.url, 'http://fixture');
    const connection = {
      socket,
      url: request.url,
      frames: [],
      userId: null,
      index: this.connections.length,
      open: true,
      send: (event, data) => socket.send(JSON.stringify({ event, data })),
      close: (code, reason) => socket.close(code, reason),
    };
    this.connections.push(connection);
    socket.on('message', (raw) => this.receive(connection, raw.toString()));
    socket.on('close', (code, reason) => {
      connection.open = false;
      connection.closeCode = code;
      this.emit('closed', connection, code, reason.toString());
    });
    this.emit('connection', connection);
    const token = url.searchParams.get('token');
    if (token != null) {
      this.activate(connection, token);
    }
  }

  activate(connection, token) {
    const entry = this.tokens.get(token);
    connection.userId = entry.userId;
    connection.token = token;
    connection.send('connected', {
      session_id: `s-${connection.index}`,
      user_id: entry.userId,
      gateway_id: 'fixture',
      token_expires_at: entry.expiresAt.toISOString(),
      ping_interval_ms: 25000,
      max_frame_bytes: 16384,
    });
    this.emit('authenticated', connection);
  }

  receive(connection, text) {
    const frame = JSON.parse(text);
    connection.frames.push(frame);
    this.emit('frame', connection, frame);
    const data = frame.data || {};
    switch (frame.event) {
      case 'auth': {
        if (!this.tokens.has(data.token)) {
          connection.send('error', { code: 'invalid_token', message: 'invalid token', event: 'auth' });
          if (connection.userId == null) {
            connection.close(1008, 'invalid token');
          }
        } else if (connection.userId == null) {
          this.activate(connection, data.token);
        } else {
          connection.token = data.token;
          connection.send('token_refreshed', { token_expires_at: this.tokens.get(data.token).expiresAt.toISOString() });
        }
        break;
      }
      case 'ping':
        if (this.answerPings) {
          connection.send('pong', { server_time: new Date().toISOString() });
        }
        break;
      case 'send_private_message':
      case 'send_group_message':
        if (connection.userId == null) {
          connection.send('error', { code: 'not_authenticated', message: 'send auth first', event: frame.event });
        } else {
          this.handleSend(connection, frame.event, data);
        }
        break;
      case 'resume':
        // A resume may come in several frames (`more: true` on all but the last); it takes effect with the last.
        connection.resumePositions = { ...(connection.resumePositions || {}), ...(data.positions || {}) };
        if (!data.more) {
          const positions = connection.resumePositions;
          connection.resumePositions = null;
          this.replay(connection, positions);
        }
        break;
      default:
        break;
    }
  }

  privateConversation(a, b) {
    const key = [a, b].sort((x, y) => x - y).join(':');
    if (!this.privateIds.has(key)) {
      const id = this.nextConversationId++;
      this.privateIds.set(key, id);
      this.conversations.set(id, { id, type: 'private', members: [a, b], lastSeq: 0, messages: [] });
    }
    return this.conversations.get(this.privateIds.get(key));
  }

  createGroup(id, members) {
    this.conversations.set(id, { id, type: 'group', members, lastSeq: 0, messages: [] });
  }

  handleSend(connection, event, data) {
    if (this.loseNextSends > 0) {
      this.loseNextSends--;
      this.emit('lost', connection, data);
      return;
    }
    if (this.rateLimitNextSends > 0) {
      this.rateLimitNextSends--;
      connection.send('message_error', {
        client_msg_id: data.client_msg_id,
        code: 'rate_limited',
        message: 'too many messages',
        retry_after_ms: this.rateLimitRetryAfterMs,
        receiver_id: data.receiver_id ?? null,
        group_id: data.group_id ?? null,
      });
      return;
    }
    if (event === 'send_private_message' && Number(data.receiver_id) === connection.userId) {
      connection.send('message_error', {
        client_msg_id: data.client_msg_id,
        code: 'self_message',
        message: 'cannot send a private message to yourself',
        retry_after_ms: null,
        receiver_id: data.receiver_id,
        group_id: null,
      });
      return;
    }
    const sender = connection.userId;
    const dedupeKey = `${sender}:${data.client_msg_id}`;
    const original = this.byClientMsgId.get(dedupeKey);
    if (original) {
      // A retry of a stored message: acknowledged with the original; nobody receives it twice.
      this.emit('duplicate', connection, original);
      connection.send('message_sent', original);
      return;
    }
    const conversation = event === 'send_private_message'
      ? this.privateConversation(sender, Number(data.receiver_id))
      : this.conversations.get(Number(data.group_id));
    const message = this.store(conversation, sender, data.content, data.client_msg_id);
    if (this.loseNextAcks > 0) {
      this.loseNextAcks--;
    } else {
      connection.send('message_sent', message);
    }
    this.deliver(message, connection);
  }

  /** Stores a message as message-service would (also used by tests to send "from elsewhere"). */
  store(conversation, sender, content, clientMsgId) {
    conversation.lastSeq++;
    const isPrivate = conversation.type === 'private';
    const message = {
      id: `m-${++this.messageCounter}`,
      conversation_id: conversation.id,
      conversation_type: conversation.type,
      seq: conversation.lastSeq,
      sender_id: sender,
      receiver_id: isPrivate ? conversation.members.find((m) => m !== sender) : null,
      group_id: isPrivate ? null : conversation.id,
      content,
      type: 'text',
      file_id: null,
      client_msg_id: clientMsgId || `srv-${this.messageCounter}`,
      created_at: new Date().toISOString(),
    };
    conversation.messages.push(message);
    this.byClientMsgId.set(`${sender}:${message.client_msg_id}`, message);
    this.stored.push(message);
    this.emit('stored', message);
    return message;
  }

  /** Sends a stored message live to every open, authenticated session of its members except the origin. */
  deliver(message, origin = null) {
    const conversation = this.conversations.get(message.conversation_id);
    const event = conversation.type === 'private' ? 'private_message' : 'group_message';
    for (const connection of this.connections) {
      if (connection !== origin && connection.open && conversation.members.includes(connection.userId)) {
        connection.send(event, message);
      }
    }
  }

  /** A message from another user (or the REST API), stored and delivered live. */
  sendFrom(sender, conversation, content) {
    const message = this.store(conversation, sender, content);
    this.deliver(message);
    return message;
  }

  replay(connection, positions) {
    let replayed = 0;
    const result = { ...positions };
    for (const conversation of this.conversations.values()) {
      if (!conversation.members.includes(connection.userId)) {
        continue;
      }
      const from = Number(positions[String(conversation.id)] || 0);
      for (const message of conversation.messages) {
        if (message.seq > from) {
          connection.send(conversation.type === 'private' ? 'private_message' : 'group_message', message);
          replayed++;
        }
      }
      result[String(conversation.id)] = conversation.lastSeq;
    }
    connection.send('resume_result', { complete: true, replayed, positions: result, reason: null });
  }

  /** Resolves with the first event (emitted after this call) whose arguments satisfy the predicate. */
  next(event, predicate = () => true) {
    return new Promise((resolve) => {
      const listener = (...args) => {
        if (predicate(...args)) {
          this.off(event, listener);
          resolve(args.length > 1 ? args : args[0]);
        }
      };
      this.on(event, listener);
    });
  }

  /** Resolves with the next frame of the given event name (from any connection, or the given one). */
  nextFrame(eventName, connection = null) {
    return this.next('frame', (c, frame) => frame.event === eventName && (connection == null || c === connection))
      .then(([c, frame]) => ({ connection: c, frame }));
  }

  authenticatedConnections(userId) {
    return this.connections.filter((c) => c.open && c.userId === userId);
  }
}
