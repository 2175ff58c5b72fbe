// Unit tests of chat-client.js against a protocol fixture (support/protocol-fixture.mjs), a real WebSocket server
// that behaves as docs/protocol.md describes. Timers and randomness are injected: no test waits for real time.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, MemoryStorage, SendError, resumeFrames } from '../../main/resources/static/js/chat-client.js';
import { setup, nextEvent, record, connectAndResume } from './support/helpers.mjs';

// Every wait in these tests is for an event; the timeout only turns a missing event into a failure instead of a hang.
const it = (name, fn) => test(name, { timeout: 10000 }, fn);

describe('connecting', () => {
  it('authenticates with a first auth frame and never puts the token in the URL', async (t) => {
    const { fixture, newClient, teardown } = await setup();
    t.after(teardown);
    const token = fixture.issueToken(7);
    const client = newClient({ getToken: async () => token });
    const states = record(client, 'state');

    const connected = await client.connect();

    const connection = fixture.connections[0];
    assert.equal(connected.user_id, 7);
    assert.equal(client.userId, 7);
    assert.equal(connection.url, '/ws');
    // It also declares that it will resume, so the gateway holds live messages until the resume arrives.
    assert.deepEqual(connection.frames[0], { event: 'auth', data: { token, resume: true, presence_batch: true } });
    assert.equal(client.state, 'open');
    assert.deepEqual(states.map((s) => s.state), ['connecting', 'open']);
  });

  it('puts the token in ?token= only when told to, and then sends no auth frame', async (t) => {
    const { fixture, newClient, teardown } = await setup();
    t.after(teardown);
    const token = fixture.issueToken(7);
    const client = newClient({ token, tokenInQuery: true });

    await connectAndResume(client);

    const connection = fixture.connections[0];
    assert.equal(connection.url, `/ws?token=${token}&resume=true&presence_batch=true`);
    assert.deepEqual(connection.frames.map((f) => f.event), ['resume']);
  });

  it('reports connecting, open, reconnecting, open and closed as state events', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    const states = record(client, 'state');
    await connectAndResume(client);

    const scheduled = nextEvent(client, 'reconnect_scheduled');
    fixture.connections[0].close(1011, '');
    const { delay } = await scheduled;
    const reopened = nextEvent(client, 'connected');
    timers.advance(delay);
    await reopened;
    client.close();

    assert.deepEqual(states.map((s) => s.state), ['connecting', 'open', 'reconnecting', 'open', 'closed']);
  });
});

describe('reconnecting with backoff', () => {
  it('backoffDelay is full jitter under a doubling cap that stops at maxMs', () => {
    const options = { baseMs: 500, maxMs: 30000 };
    const caps = [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000];
    caps.forEach((cap, attempt) => {
      assert.equal(backoffDelay(attempt, options, () => 0), 0);
      assert.equal(backoffDelay(attempt, options, () => 0.5), Math.floor(cap / 2));
      const highest = backoffDelay(attempt, options, () => 0.999999);
      assert.ok(highest < cap, `attempt ${attempt}: ${highest} < ${cap}`);
      assert.ok(highest >= cap - 1, `attempt ${attempt}: ${highest} close to ${cap}`);
    });
    assert.ok(backoffDelay(1000, options, () => 0.999999) < 30000);
  });

  it('keeps reconnecting past five failures, each delay drawn from the injected random source', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const randoms = [0.1, 0.9, 0.3, 0.7, 0.5, 0.2, 0.8, 0.6];
    let draw = 0;
    const client = newClient({
      getToken: () => fixture.issueToken(7),
      random: () => randoms[draw++ % randoms.length],
      backoff: { baseMs: 1000, maxMs: 20000 },
    });
    fixture.refuseConnections = 8;

    const delays = [];
    const connected = nextEvent(client, 'connected');
    let scheduled = nextEvent(client, 'reconnect_scheduled');
    client.connect();
    for (let i = 0; i < 8; i++) {
      const { attempt, delay } = await scheduled;
      delays.push(delay);
      assert.equal(attempt, i);
      scheduled = nextEvent(client, 'reconnect_scheduled');
      timers.advance(delay);
    }
    await connected;

    const expected = randoms.map((r, i) => Math.floor(r * Math.min(20000, 1000 * 2 ** i)));
    assert.deepEqual(delays, expected);
    assert.ok(delays.every((d) => d >= 0 && d < 20000));
    assert.equal(fixture.refusedCount, 8);
  });

  it('starts again from the smallest delay once a connection has resumed', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7), random: () => 0.999 });
    fixture.refuseConnections = 3;
    let scheduled = nextEvent(client, 'reconnect_scheduled');
    const resumed = nextEvent(client, 'resumed');
    client.connect();
    for (let i = 0; i < 3; i++) {
      const { delay } = await scheduled;
      scheduled = nextEvent(client, 'reconnect_scheduled');
      timers.advance(delay);
    }
    await resumed;

    fixture.connections.at(-1).close(1011, '');
    const after = await scheduled;

    assert.equal(after.attempt, 0);
    assert.ok(after.delay < 500);
  });

  for (const [code, how] of [
    [1001, 'idle timeout'],
    [1006, 'connection lost without a close frame'],
    [1011, 'server error'],
    [1012, 'gateway restarting'],
    [1013, 'replay unavailable'],
    [4001, 'too slow'],
  ]) {
    it(`reconnects and resumes after close ${code} (${how})`, async (t) => {
      const { fixture, timers, newClient, teardown } = await setup();
      t.after(teardown);
      const client = newClient({ getToken: () => fixture.issueToken(7) });
      await connectAndResume(client);

      const scheduled = nextEvent(client, 'reconnect_scheduled');
      if (code === 1006) {
        fixture.connections[0].socket.terminate();
      } else {
        fixture.connections[0].close(code, how);
      }
      const { delay } = await scheduled;
      const resumeFrame = fixture.nextFrame('resume');
      const resumed = nextEvent(client, 'resumed');
      timers.advance(delay);

      const { connection } = await resumeFrame;
      await resumed;
      assert.equal(connection.index, 1);
      assert.equal(client.state, 'open');
    });
  }

  it('close 4002 (too many sessions) stops reconnecting for good', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    await connectAndResume(client);
    const scheduled = record(client, 'reconnect_scheduled');
    const closed = nextEvent(client, 'closed');

    fixture.connections[0].close(4002, 'too many sessions for this user');
    const info = await closed;
    timers.advance(10 * 60 * 1000);

    assert.equal(info.code, 4002);
    assert.equal(client.state, 'closed');
    assert.equal(scheduled.length, 0);
    assert.deepEqual(timers.pendingDelays(), []);
    assert.equal(fixture.connections.length, 1);
  });

  it('a missing pong closes the connection and reconnects; a pong keeps it', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7), pongTimeoutMs: 10000 });
    await connectAndResume(client);

    // The server's ping_interval_ms (25 s) paces the pings; a pong within 10 s keeps the connection.
    const firstPing = fixture.nextFrame('ping');
    const pong = nextEvent(client, 'frame', (f) => f.event === 'pong');
    timers.advance(25000);
    await firstPing;
    await pong;
    const scheduled = record(client, 'reconnect_scheduled');
    timers.advance(10000);
    assert.equal(scheduled.length, 0);

    fixture.answerPings = false;
    const secondPing = fixture.nextFrame('ping');
    timers.advance(15000);
    await secondPing;
    const reconnect = nextEvent(client, 'reconnect_scheduled');
    const serverSawClose = fixture.next('closed', (c) => c.index === 0);
    timers.advance(10000);

    await reconnect;
    const [, code] = await serverSawClose;
    assert.equal(code, 4000);
  });
});

describe('resume', () => {
  it('resumes with the highest seq it holds per conversation, and keeps them in the storage', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    fixture.createGroup(31, [7, 9]);
    const storage = new MemoryStorage();
    const client = newClient({ getToken: () => fixture.issueToken(7), storage });
    await connectAndResume(client);
    const group = fixture.conversations.get(31);
    const chat = fixture.privateConversation(7, 9);
    const messages = record(client, 'message');

    const lastLive = nextEvent(client, 'message', (m) => m.content === 'g1');
    fixture.sendFrom(9, chat, 'a');
    fixture.sendFrom(9, chat, 'b');
    fixture.sendFrom(9, group, 'g1');
    await lastLive;
    assert.deepEqual(client.positions(), { [chat.id]: 2, 31: 1 });

    const scheduled = nextEvent(client, 'reconnect_scheduled');
    fixture.connections[0].close(4001, 'too slow, reconnect and resume');
    const { delay } = await scheduled;
    fixture.store(chat, 9, 'c');
    fixture.store(group, 9, 'g2');
    const resumeFrame = fixture.nextFrame('resume');
    const resumed = nextEvent(client, 'resumed');
    timers.advance(delay);

    const { frame } = await resumeFrame;
    assert.deepEqual(frame.data.positions, { [chat.id]: 2, 31: 1 });
    const result = await resumed;
    assert.equal(result.complete, true);
    const contentsOf = (id) => messages.filter(([m]) => m.conversation_id === id).map(([m]) => m.content);
    assert.deepEqual(contentsOf(chat.id), ['a', 'b', 'c']);
    assert.deepEqual(contentsOf(31), ['g1', 'g2']);
    assert.ok(messages.filter(([m]) => m.content === 'c').every(([, meta]) => meta.replayed));
    assert.deepEqual(client.positions(), { [chat.id]: 3, 31: 2 });
    assert.deepEqual(JSON.parse(storage.getItem('erpchat.positions:7')), { [chat.id]: 3, 31: 2 });

    // A new client on the same storage (a page reload) resumes from where the first one was.
    client.close();
    const again = newClient({ getToken: () => fixture.issueToken(7), storage });
    const secondResume = fixture.nextFrame('resume');
    await again.connect();
    assert.deepEqual((await secondResume).frame.data.positions, { [chat.id]: 3, 31: 2 });
  });

  it('splits positions that do not fit one frame into several resume frames, all but the last with more', () => {
    const positions = {};
    for (let id = 1; id <= 3000; id++) {
      positions[String(1000000 + id)] = 100000 + id;
    }

    const frames = resumeFrames(positions, 16384);

    assert.ok(frames.length > 1);
    for (const data of frames) {
      const text = JSON.stringify({ event: 'resume', data });
      assert.ok(new TextEncoder().encode(text).length <= 16384, `frame of ${text.length} bytes`);
    }
    assert.deepEqual(frames.map((f) => f.more === true), [...frames.slice(1).map(() => true), false]);
    assert.deepEqual(Object.assign({}, ...frames.map((f) => f.positions)), positions);
    assert.deepEqual(resumeFrames({}, 16384), [{ positions: {} }]);
  });

  it('a client holding thousands of conversations resumes in several frames and gets everything after them', async (t) => {
    const { fixture, newClient, teardown } = await setup();
    t.after(teardown);
    const storage = new MemoryStorage();
    const known = {};
    for (let id = 1; id <= 2000; id++) {
      known[String(500000 + id)] = 7;
    }
    storage.setItem('erpchat.positions:7', JSON.stringify(known));
    const chat = fixture.privateConversation(7, 9);
    fixture.store(chat, 9, 'missed');
    const client = newClient({ getToken: () => fixture.issueToken(7), storage });
    const messages = record(client, 'message');
    const frames = [];
    fixture.on('frame', (connection, frame) => frame.event === 'resume' && frames.push(frame));

    await connectAndResume(client);

    assert.ok(frames.length > 1, `${frames.length} resume frames`);
    assert.equal(frames.at(-1).data.more, undefined);
    assert.deepEqual(Object.assign({}, ...frames.map((f) => f.data.positions)), known);
    assert.deepEqual(messages.map(([m]) => m.content), ['missed']);
  });

  it('positions noted from REST are sent in resume and only move forward', async (t) => {
    const { fixture, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    client.notePositions({ 12: 40, 15: 0 });
    client.notePosition(12, 38);
    const resumeFrame = fixture.nextFrame('resume');

    await client.connect();

    assert.deepEqual((await resumeFrame).frame.data.positions, { 12: 40, 15: 0 });
  });
});

describe('sending reliably', () => {
  it('a send lost with the connection is sent again after reconnecting with the same client_msg_id', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    await connectAndResume(client);
    fixture.loseNextSends = 1;

    const lost = fixture.next('lost');
    const sending = client.sendPrivate(9, 'hello');
    await lost;
    assert.equal(fixture.stored.length, 0);
    assert.equal(client.pendingSends().length, 1);
    const scheduled = nextEvent(client, 'reconnect_scheduled');
    fixture.connections[0].close(1011, '');
    const { delay } = await scheduled;
    const retried = fixture.nextFrame('send_private_message');
    timers.advance(delay);

    const { frame, connection } = await retried;
    const message = await sending;
    assert.equal(connection.index, 1);
    assert.equal(frame.data.client_msg_id, sending.clientMsgId);
    assert.equal(message.client_msg_id, sending.clientMsgId);
    assert.equal(fixture.stored.length, 1);
    assert.equal(client.pendingSends().length, 0);
  });

  it('a replayed copy of a stored message whose ack was lost resolves the pending send, without a duplicate', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    await connectAndResume(client);
    fixture.loseNextAcks = 1;
    const messages = record(client, 'message');
    const acks = record(client, 'ack');

    const stored = fixture.next('stored');
    const sending = client.sendPrivate(9, 'exactly once');
    const original = await stored;
    const scheduled = nextEvent(client, 'reconnect_scheduled');
    fixture.connections[0].socket.terminate();
    const { delay } = await scheduled;
    const resumed = nextEvent(client, 'resumed');
    timers.advance(delay);

    const message = await sending;
    await resumed;
    assert.equal(message.id, original.id);
    assert.equal(fixture.stored.length, 1);
    assert.equal(messages.filter(([m]) => m.id === original.id).length, 1);
    assert.equal(acks.length, 1);
    assert.equal(client.pendingSends().length, 0);
    const resent = fixture.connections[1].frames.filter((f) => f.event === 'send_private_message');
    assert.equal(resent.length, 0);
  });

  it('without resume, the retry of a stored message is acknowledged with the original', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7), resume: false });
    await client.connect();
    fixture.loseNextAcks = 1;
    const messages = record(client, 'message');

    const stored = fixture.next('stored');
    const sending = client.sendPrivate(9, 'once');
    const original = await stored;
    const scheduled = nextEvent(client, 'reconnect_scheduled');
    fixture.connections[0].socket.terminate();
    const { delay } = await scheduled;
    const duplicate = fixture.next('duplicate');
    timers.advance(delay);

    await duplicate;
    const message = await sending;
    assert.equal(message.id, original.id);
    assert.equal(fixture.stored.length, 1);
    assert.equal(messages.filter(([m]) => m.id === original.id).length, 1);
  });

  it('an unacknowledged send is sent again on the same connection after the ack timeout', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7), ackTimeoutMs: 20000 });
    await connectAndResume(client);
    fixture.loseNextAcks = 1;

    const stored = fixture.next('stored');
    const sending = client.sendPrivate(9, 'slow ack');
    await stored;
    const retry = fixture.nextFrame('send_private_message');
    timers.advance(20000);

    const { frame, connection } = await retry;
    await sending;
    assert.equal(connection.index, 0);
    assert.equal(frame.data.client_msg_id, sending.clientMsgId);
    assert.equal(fixture.stored.length, 1);
  });

  it('sends made while disconnected go out in order after the resume', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    await connectAndResume(client);
    const scheduled = nextEvent(client, 'reconnect_scheduled');
    fixture.connections[0].close(1012, 'gateway restarting, reconnect');
    const { delay } = await scheduled;

    const sends = ['one', 'two', 'three'].map((text) => client.sendPrivate(9, text));
    assert.equal(client.pendingSends().length, 3);
    timers.advance(delay);
    const stored = await Promise.all(sends);

    assert.deepEqual(stored.map((m) => m.seq), [1, 2, 3]);
    assert.deepEqual(fixture.stored.map((m) => m.content), ['one', 'two', 'three']);
    const frames = fixture.connections[1].frames.map((f) => f.event);
    assert.ok(frames.indexOf('resume') < frames.indexOf('send_private_message'));
  });

  it('rate_limited waits retry_after_ms, then sends the same client_msg_id again', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    await connectAndResume(client);
    fixture.rateLimitNextSends = 1;
    fixture.rateLimitRetryAfterMs = 1500;

    const retryScheduled = nextEvent(client, 'send_retry');
    const sending = client.sendPrivate(9, 'patience');
    const retry = await retryScheduled;
    assert.equal(retry.code, 'rate_limited');
    assert.equal(retry.delay, 1500);
    assert.ok(timers.pendingDelays().includes(1500));
    const resent = fixture.nextFrame('send_private_message');
    timers.advance(1500);

    assert.equal((await resent).frame.data.client_msg_id, sending.clientMsgId);
    assert.equal((await sending).content, 'patience');
    assert.equal(fixture.stored.length, 1);
  });

  it('a refused send rejects with the server code and emits send_error', async (t) => {
    const { fixture, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    await connectAndResume(client);
    const errors = record(client, 'send_error');

    const sending = client.sendPrivate(7, 'to myself');

    await assert.rejects(sending, (e) => e instanceof SendError && e.code === 'self_message');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].client_msg_id, sending.clientMsgId);
    assert.equal(client.pendingSends().length, 0);
  });

  it('a message too big for a frame is refused locally', async (t) => {
    const { fixture, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    await connectAndResume(client);

    await assert.rejects(client.sendPrivate(9, 'x'.repeat(20000)), (e) => e.code === 'frame_too_large');
    assert.equal(client.pendingSends().length, 0);
  });
});

describe('receiving', () => {
  it('delivers each message id once, however often it arrives', async (t) => {
    const { fixture, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    await connectAndResume(client);
    const messages = record(client, 'message');
    const chat = fixture.privateConversation(7, 9);
    const connection = fixture.connections[0];

    const first = fixture.sendFrom(9, chat, 'twice');
    connection.send('private_message', first);
    connection.send('private_message', first);
    const fromRest = { ...first, id: 'm-rest', seq: 99, content: 'loaded over REST' };
    client.noteSeen([fromRest.id]);
    connection.send('private_message', fromRest);
    const sentinel = nextEvent(client, 'message', (m) => m.content === 'sentinel');
    fixture.sendFrom(9, chat, 'sentinel');
    await sentinel;

    assert.deepEqual(messages.map(([m]) => m.content), ['twice', 'sentinel']);
  });

  it('passes typing, presence, read and group events on', async (t) => {
    const { fixture, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    await connectAndResume(client);
    const connection = fixture.connections[0];
    const typing = nextEvent(client, 'typing');
    const presence = nextEvent(client, 'presence');
    const read = nextEvent(client, 'read');
    const group = nextEvent(client, 'group_updated');

    connection.send('user_typing', { conversation_id: 12, user_id: 9, is_typing: true });
    connection.send('user_online_status', { user_id: 9, is_online: true, last_seen_at: '2026-11-26T09:15:02Z' });
    connection.send('conversation_read', { conversation_id: 12, user_id: 9, read_seq: 5 });
    connection.send('group_updated', { group_id: 31, change: 'created', member_ids: [7, 9] });
    connection.send('some_future_event', { whatever: true });

    assert.equal((await typing).user_id, 9);
    assert.equal((await presence).is_online, true);
    assert.equal((await read).read_seq, 5);
    assert.equal((await group).change, 'created');
    assert.deepEqual(client.presenceOf(9), { is_online: true, last_seen_at: '2026-11-26T09:15:02Z' });
  });

  it('spreads a presence batch into one presence event per status', async (t) => {
    const { fixture, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    await connectAndResume(client);
    const presence = record(client, 'presence');
    const second = nextEvent(client, 'presence', (p) => p.user_id === 10);

    fixture.connections[0].send('presence_batch', { statuses: [
      { user_id: 9, is_online: true, last_seen_at: '2026-11-26T09:15:02Z' },
      { user_id: 10, is_online: false, last_seen_at: '2026-11-26T08:00:00Z' },
    ] });
    await second;

    assert.deepEqual(presence.map((p) => [p.user_id, p.is_online]), [[9, true], [10, false]]);
    assert.deepEqual(client.presenceOf(10), { is_online: false, last_seen_at: '2026-11-26T08:00:00Z' });
  });

  it('follows the presence of chosen users, and asks again after every reconnect', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7) });
    await connectAndResume(client);
    const first = fixture.nextFrame('presence_subscribe');

    client.subscribePresence([12, 13, 12]);

    assert.deepEqual((await first).frame.data, { user_ids: [12, 13] });
    const again = fixture.nextFrame('presence_subscribe');
    const scheduled = nextEvent(client, 'reconnect_scheduled');
    fixture.connections[0].close(1012, 'gateway restarting, reconnect');
    timers.advance((await scheduled).delay);
    assert.deepEqual((await again).frame.data, { user_ids: [12, 13] });
  });
});

describe('typing', () => {
  it('sends at most one typing per interval per conversation, and an explicit stop', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const client = newClient({ getToken: () => fixture.issueToken(7), typingIntervalMs: 3000 });
    await connectAndResume(client);
    const chat = { receiver_id: 9 };

    const sent = [];
    for (let i = 0; i < 6; i++) {
      sent.push(client.typing(chat));
      timers.advance(500);
    }
    sent.push(client.typing(chat)); // 3000 ms after the first
    sent.push(client.typing({ group_id: 31 })); // another conversation is throttled apart
    const stops = [client.stopTyping(chat), client.stopTyping(chat)];
    const sentinel = fixture.nextFrame('ping');
    client.sendRaw('ping', {});
    await sentinel;

    assert.deepEqual(sent, [true, false, false, false, false, false, true, true]);
    assert.deepEqual(stops, [true, false]);
    const frames = fixture.connections[0].frames.filter((f) => f.event === 'typing').map((f) => f.data);
    assert.deepEqual(frames, [
      { receiver_id: 9, is_typing: true },
      { receiver_id: 9, is_typing: true },
      { group_id: 31, is_typing: true },
      { receiver_id: 9, is_typing: false },
    ]);
  });
});

describe('tokens', () => {
  it('token_expiring fetches a fresh token through getToken and sends auth with it', async (t) => {
    const { fixture, newClient, teardown } = await setup();
    t.after(teardown);
    const reasons = [];
    const client = newClient({
      getToken: async ({ reason }) => {
        reasons.push(reason);
        return fixture.issueToken(7);
      },
    });
    await connectAndResume(client);
    const firstToken = fixture.connections[0].frames[0].data.token;

    const auth = fixture.nextFrame('auth');
    const refreshed = nextEvent(client, 'token_refreshed');
    fixture.connections[0].send('token_expiring', { expires_at: new Date(Date.now() + 60000).toISOString() });

    const { frame, connection } = await auth;
    await refreshed;
    assert.equal(connection.index, 0);
    assert.notEqual(frame.data.token, firstToken);
    assert.equal(connection.token, frame.data.token);
    assert.deepEqual(reasons, ['connect', 'expiring']);
  });

  it('a connection closed for an expired token reconnects with a fresh token', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const reasons = [];
    const client = newClient({
      getToken: async ({ reason }) => {
        reasons.push(reason);
        return fixture.issueToken(7);
      },
    });
    await connectAndResume(client);
    const oldToken = fixture.connections[0].token;
    fixture.revokeToken(oldToken);

    const scheduled = nextEvent(client, 'reconnect_scheduled');
    fixture.connections[0].close(1008, 'token expired');
    const { delay } = await scheduled;
    const connected = nextEvent(client, 'connected');
    timers.advance(delay);
    await connected;

    assert.deepEqual(reasons, ['connect', 'rejected']);
    assert.notEqual(fixture.connections[1].token, oldToken);
  });

  it('an invalid first token is replaced before the next attempt', async (t) => {
    const { fixture, timers, newClient, teardown } = await setup();
    t.after(teardown);
    const tokens = ['not-a-token', fixture.issueToken(7)];
    const client = newClient({ getToken: async () => tokens.shift() });

    const scheduled = nextEvent(client, 'reconnect_scheduled');
    const connected = client.connect();
    const { delay } = await scheduled;
    timers.advance(delay);
    const data = await connected;

    assert.equal(data.user_id, 7);
    assert.equal(fixture.connections[0].closeCode, 1008);
    assert.equal(tokens.length, 0);
  });
});
