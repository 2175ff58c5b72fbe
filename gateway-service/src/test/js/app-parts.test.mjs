// Unit tests of the web app's parts that need no page (static/app/): the state they read is set up directly.

import { test, describe, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { state } from '../../main/resources/static/app/state.js';
import { decodeJwt } from '../../main/resources/static/app/api.js';
import { addHistoryPage, historyOf } from '../../main/resources/static/app/histories.js';
import { activityOf, preview, statusOf } from '../../main/resources/static/app/views.js';

beforeEach(() => {
  state.me = { id: 7, display_name: 'An' };
  state.users.clear();
  state.users.set(7, 'An');
  state.users.set(9, 'Bình');
  state.histories.clear();
  state.peerRead.clear();
  state.client = null;
});

describe('conversation list', () => {
  test("previews the last message, marking one's own", () => {
    assert.equal(preview(null), 'No messages yet');
    assert.equal(preview({ sender_id: 7, content: 'Chào' }), 'You: Chào');
    assert.equal(preview({ sender_id: 9, content: '', type: 'file' }), 'a file');
  });

  test('orders by the last message, conversations without one last', () => {
    assert.equal(activityOf({ last_message: { created_at: '2026-12-04T08:00:00Z' } }), Date.parse('2026-12-04T08:00:00Z'));
    assert.equal(activityOf({ last_message: null }), 0);
  });
});

describe('messages', () => {
  test('are read once the other side read up to their seq; pending ones show their own status', () => {
    state.peerRead.set(12, 5);

    assert.equal(statusOf({ seq: 5 }, 12), 'read');
    assert.equal(statusOf({ seq: 6 }, 12), 'sent');
    assert.equal(statusOf({ status: 'failed' }, 12), 'failed');
  });

  test('pages merge by id, replace the pending entry they acknowledge, and track the oldest loaded', () => {
    const history = historyOf(12);
    history.pending.set('c-1', { status: 'sending' });
    addHistoryPage(history, { messages: [{ id: 'b', seq: 4, sender_id: 9 }, { id: 'c', seq: 5, sender_id: 7, client_msg_id: 'c-1' }], has_more: true });
    addHistoryPage(history, { messages: [{ id: 'a', seq: 3, sender_id: 9 }, { id: 'b', seq: 4, sender_id: 9 }], has_more: false });

    assert.deepEqual([...history.stored.keys()].sort(), ['a', 'b', 'c']);
    assert.equal(history.pending.size, 0);
    assert.equal(history.oldestLoaded, 3);
    assert.equal(history.hasMore, false);
    assert.equal(historyOf(12), history);
  });
});

describe('tokens', () => {
  test("a token's claims are read without checking it (the servers check it); garbage is null", () => {
    const payload = Buffer.from(JSON.stringify({ sub: '7', name: 'Ân' })).toString('base64url');

    assert.deepEqual(decodeJwt(`x.${payload}.y`), { sub: '7', name: 'Ân' });
    assert.equal(decodeJwt('not a token'), null);
  });
});
