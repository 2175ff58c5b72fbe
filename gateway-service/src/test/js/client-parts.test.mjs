// Unit tests of the client's parts that need no socket (static/js/client/): plain objects, no server, no timers.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Listeners } from '../../main/resources/static/js/client/listeners.js';
import { Positions, SeenIds } from '../../main/resources/static/js/client/positions.js';
import { MemoryStorage } from '../../main/resources/static/js/client/storage.js';

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
