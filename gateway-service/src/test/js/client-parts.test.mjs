// Unit tests of the client's parts that need no socket (static/js/client/): plain objects, no server, no timers.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Listeners } from '../../main/resources/static/js/client/listeners.js';
import { Positions, SeenIds } from '../../main/resources/static/js/client/positions.js';
import { SendError, Sends } from '../../main/resources/static/js/client/sends.js';
import { MemoryStorage } from '../../main/resources/static/js/client/storage.js';
import { FakeTimers } from './support/helpers.mjs';

const quiet = { warn() {}, debug() {} };

describe('positions', () => {
  test('only move forward, and ignore what is not a seq', () => {
    const positions = new Positions(new MemoryStorage(), 'k', quiet);
    positions.advance(12, 5);
    positions.advance('12', 3);
    positions.advance(12, -1);
    positions.advance(12, 'x');
    positions.advance(40, 0);

    assert.equal(positions.of(12), 5);
    assert.equal(positions.of(99), 0);
    assert.deepEqual(positions.all(), { 12: 5, 40: 0 });
  });

  test('are stored per user once the user is known, merged with what was stored before', () => {
    const storage = new MemoryStorage();
    storage.setItem('erpchat.positions:7', JSON.stringify({ 12: 9, 13: 2 }));
    const positions = new Positions(storage, 'erpchat.positions', quiet);
    positions.advance(13, 4);
    assert.equal(storage.getItem('erpchat.positions:7'), JSON.stringify({ 12: 9, 13: 2 }), 'nothing stored before');

    positions.load(7);
    positions.advance(14, 1);

    assert.deepEqual(JSON.parse(storage.getItem('erpchat.positions:7')), { 12: 9, 13: 4, 14: 1 });
  });

  test('survive unreadable or failing storage', () => {
    const warnings = [];
    const logger = { warn: (message) => warnings.push(message), debug() {} };
    const broken = {
      getItem: () => '{not json',
      setItem: () => {
        throw new Error('quota exceeded');
      },
    };
    const positions = new Positions(broken, 'k', logger);

    positions.load(7);
    positions.advance(1, 1);

    assert.equal(positions.of(1), 1);
    assert.ok(warnings.some((w) => w.includes('unreadable')));
    assert.ok(warnings.some((w) => w.includes('cannot store')));
  });
});

describe('seen ids', () => {
  test('remember the most recent ones, forgetting the oldest first', () => {
    const seen = new SeenIds(2);
    seen.add('a');
    seen.add('b');
    seen.add('a');
    seen.add('c');

    assert.equal(seen.has('a'), false);
    assert.equal(seen.has('b'), true);
    assert.equal(seen.has('c'), true);
  });
});

describe('listeners', () => {
  test('a listener that throws does not stop the others, and an unsubscribed one hears nothing', () => {
    const warnings = [];
    const listeners = new Listeners({ warn: (message) => warnings.push(message), debug() {} });
    const heard = [];
    listeners.on('message', () => {
      throw new Error('app bug');
    });
    const off = listeners.on('message', (m) => heard.push(`second ${m}`));
    listeners.on('message', (m) => heard.push(`third ${m}`));

    listeners.emit('message', 1);
    off();
    listeners.emit('message', 2);

    assert.deepEqual(heard, ['second 1', 'third 1', 'third 2']);
    assert.equal(warnings.length, 2);
  });
});

/** Send tracking over a pretend connection that records what it writes. */
function sendsOn(timers) {
  const link = { open: true, id: 1, written: [], emitted: [] };
  link.canSend = () => link.open;
  link.connection = () => link.id;
  link.rawSend = (event, data) => link.written.push({ event, id: data.client_msg_id }) > 0;
  link.emit = (event, payload) => link.emitted.push({ event, payload });
  const sends = new Sends(link, {
    ackTimeoutMs: 1000,
    backoff: { baseMs: 500, maxMs: 30000 },
    random: () => 0.5,
    setTimer: timers.setTimeout,
    clearTimer: timers.clearTimeout,
  });
  return { link, sends };
}

describe('send tracking', () => {
  test('sends once per connection, again with the same id after a reconnect or a silent server, until stored', async () => {
    const timers = new FakeTimers();
    const { link, sends } = sendsOn(timers);
    const stored = sends.track('send_private_message', { receiver_id: 9, content: 'hi', client_msg_id: 'a' }, 16384);
    sends.flush();
    assert.deepEqual(link.written.map((w) => w.id), ['a']);

    sends.connectionLost();
    link.id = 2;
    sends.flush();
    timers.advance(1000);
    assert.deepEqual(link.written.map((w) => w.id), ['a', 'a', 'a']);

    assert.equal(sends.stored('a', { id: 'm1', seq: 4 }), true);
    assert.deepEqual(await stored, { id: 'm1', seq: 4 });
    assert.deepEqual(sends.list(), []);
    assert.equal(sends.stored('a', { id: 'm1' }), false);
  });

  test('a retryable refusal pauses every send and then sends it again; a final one rejects with its code', async () => {
    const timers = new FakeTimers();
    const { link, sends } = sendsOn(timers);
    link.open = false;
    sends.track('send_private_message', { receiver_id: 9, content: '1', client_msg_id: 'a' }, 16384);
    const second = sends.track('send_private_message', { receiver_id: 9, content: '2', client_msg_id: 'b' }, 16384);
    link.open = true;
    sends.flush();

    assert.equal(sends.retryLater('a', 300), 300);
    sends.flush();
    assert.deepEqual(link.written.map((w) => w.id), ['a', 'b'], 'nothing goes out while paused');
    timers.advance(300);
    assert.deepEqual(link.written.map((w) => w.id), ['a', 'b', 'a']);

    sends.refused('b', new SendError('self_message', 'not to yourself'));
    await assert.rejects(second, (e) => e instanceof SendError && e.code === 'self_message');
    assert.deepEqual(sends.list().map((p) => p.client_msg_id), ['a']);
    assert.ok(link.emitted.some((e) => e.event === 'send_error' && e.payload.code === 'self_message'));
  });

  test('refuses at once a frame larger than the server takes', async () => {
    const { sends } = sendsOn(new FakeTimers());

    const tooLarge = sends.track('send_private_message', { content: 'x'.repeat(200), client_msg_id: 'a' }, 100);

    await assert.rejects(tooLarge, (e) => e.code === 'frame_too_large');
    assert.deepEqual(sends.list(), []);
  });
});
