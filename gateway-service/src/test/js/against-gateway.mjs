// chat-client.js against a real gateway (with real message-service, presence-service, Kafka, PostgreSQL and Redis),
// so the protocol fixture the unit tests use cannot drift from the real protocol unnoticed. Not a unit test: run by
// gateway-service's JavaScriptClientEndToEndTest, which starts everything and passes, in the environment, the
// gateway's URL and two provisioned users with their tokens:
//   CHAT_GATEWAY_URL, CHAT_ALICE_ID, CHAT_ALICE_TOKEN, CHAT_BOB_ID, CHAT_BOB_TOKEN.
// Real time and randomness; every wait is for an event, and the timeout only turns a missing event into a failure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { ChatClient, MemoryStorage, SendError } from '../../main/resources/static/js/chat-client.js';
import { nextEvent, record } from './support/helpers.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: this file runs from JavaScriptClientEndToEndTest`);
  }
  return value;
};
const url = env('CHAT_GATEWAY_URL');
const alice = { id: Number(env('CHAT_ALICE_ID')), token: env('CHAT_ALICE_TOKEN') };
const bob = { id: Number(env('CHAT_BOB_ID')), token: env('CHAT_BOB_TOKEN') };

const it = (name, fn) => test(name, { timeout: 60000 }, fn);

function clientOf(user, storage = new MemoryStorage()) {
  return new ChatClient({ url, WebSocketImpl: WebSocket, storage, getToken: async () => user.token });
}

async function connected(client) {
  const resumed = nextEvent(client, 'resumed');
  await client.connect();
  await resumed;
  return client;
}

it('chats both ways, each message once, acknowledged with its seq, and resumes what it missed in order', async (t) => {
  const aliceClient = await connected(clientOf(alice));
  const bobStorage = new MemoryStorage();
  let bobClient = await connected(clientOf(bob, bobStorage));
  t.after(() => {
    aliceClient.close();
    bobClient.close();
  });
  assert.equal(aliceClient.userId, alice.id);
  assert.equal(bobClient.state, 'open');

  const received = nextEvent(bobClient, 'message', (m, { own }) => !own && m.content === 'Hello Bob');
  const stored = await aliceClient.sendPrivate(bob.id, 'Hello Bob');
  const [message, meta] = await received;
  assert.equal(message.id, stored.id);
  assert.equal(message.sender_id, alice.id);
  assert.equal(meta.event, 'private_message');
  assert.equal(typeof stored.seq, 'number');
  const conversation = stored.conversation_id;
  assert.equal(bobClient.positionOf(conversation), stored.seq);

  // Bob goes away; Alice sends three more; Bob comes back with the positions he kept and gets exactly those.
  bobClient.close();
  const missed = [];
  for (const text of ['one', 'two', 'three']) {
    missed.push(await aliceClient.sendPrivate(bob.id, text));
  }
  bobClient = clientOf(bob, bobStorage);
  const replayed = record(bobClient, 'message');
  const resumed = nextEvent(bobClient, 'resumed');
  await bobClient.connect();
  await resumed;
  const caughtUp = replayed.filter(([m]) => m.conversation_id === conversation);
  assert.deepEqual(
    caughtUp.map(([m]) => m.content),
    ['one', 'two', 'three'],
  );
  assert.deepEqual(
    caughtUp.map(([m]) => m.seq),
    missed.map((m) => m.seq),
  );
  assert.ok(caughtUp.every(([, { replayed: wasReplayed }]) => wasReplayed));
  assert.equal(bobClient.positionOf(conversation), missed[2].seq);
});

it('tells the other side about typing, and refuses a message to oneself for good', async (t) => {
  const aliceClient = await connected(clientOf(alice));
  const bobClient = await connected(clientOf(bob));
  t.after(() => {
    aliceClient.close();
    bobClient.close();
  });

  // Typing needs the conversation, which the first message creates.
  await aliceClient.sendPrivate(bob.id, 'are you there?');
  const typing = nextEvent(bobClient, 'typing', (data) => data.user_id === alice.id && data.is_typing === true);
  aliceClient.typing({ receiver_id: bob.id });
  await typing;

  await assert.rejects(aliceClient.sendPrivate(alice.id, 'to myself'), (error) => {
    assert.ok(error instanceof SendError);
    assert.equal(error.code, 'self_message');
    return true;
  });
  assert.deepEqual(aliceClient.pendingSends(), []);
});
