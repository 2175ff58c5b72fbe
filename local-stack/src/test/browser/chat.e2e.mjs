// Browser end-to-end tests of the ERP Chat web app, in headless Chromium (Debian's package, never a downloaded
// browser) driven by playwright-core, against a running stack. BrowserEndToEndTest (JUnit) starts the stack and runs
// this file; it can also run against ./run-local.sh:
//   CHAT_WEB_URL=http://localhost:8080/ node --test-reporter=spec chat.e2e.mjs
// Environment: CHAT_WEB_URL (the gateway, required), CHAT_MESSAGE_URL (message-service, for REST checks; default
// from the gateway's /config.json), CHROMIUM_PATH (default /usr/bin/chromium), CHAT_ARTIFACTS_DIR (screenshots,
// default ./artifacts), CHAT_USER_BASE (first user id; default derived from the clock so reruns do not collide).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const WEB_URL = process.env.CHAT_WEB_URL;
if (!WEB_URL) {
  throw new Error('CHAT_WEB_URL must name the web app, e.g. http://localhost:8080/');
}
const ARTIFACTS = path.resolve(process.env.CHAT_ARTIFACTS_DIR || 'artifacts');
const USER_BASE = Number(process.env.CHAT_USER_BASE || (Math.floor(Date.now() / 1000) % 100000) * 100 + 1000000);
const WAIT = { timeout: 30000 }; // upper bounds for events to happen, never a pause
mkdirSync(ARTIFACTS, { recursive: true });

let browser;
let messageUrl;
let devTokenUrl;
const openPages = new Set();

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    // Playwright gives every launch a fresh, temporary user-data dir (under TMPDIR, which the JUnit test points at a
    // fresh directory of its own).
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const config = await (await fetch(new URL('config.json', WEB_URL))).json();
  messageUrl = process.env.CHAT_MESSAGE_URL || config.message_service_url || new URL(WEB_URL).origin;
  devTokenUrl = config.dev_token_url;
  assert.ok(devTokenUrl, 'the browser tests log in through the development token issuer: run them on the local stack');
});

after(async () => {
  if (browser) {
    await browser.close();
  }
});

/**
 * The network between a browser context and the gateway's WebSocket, under the test's control: every WebSocket to
 * /ws is routed through Playwright, so the test can cut the open connections and refuse new ones until it restores
 * the network (Chromium's offline emulation does not reliably affect WebSockets).
 */
async function controllableNetwork(context) {
  const network = { down: false, open: new Set(), refused: 0 };
  await context.routeWebSocket(/\/ws(\?.*)?$/, (page) => {
    if (network.down) {
      network.refused++;
      page.close({ code: 1001, reason: 'network down' });
      return;
    }
    const server = page.connectToServer();
    const connection = { page, server };
    network.open.add(connection);
    page.onClose(() => network.open.delete(connection));
  });
  network.cut = async () => {
    network.down = true;
    for (const { page, server } of [...network.open]) {
      await page.close({ code: 1001, reason: 'network cut by the test' });
      await server.close();
    }
    network.open.clear();
  };
  network.restore = () => {
    network.down = false;
  };
  return network;
}

/**
 * A user logged in through the web app's development login, in a browser context of their own. With
 * configAfterSubmit the page's /config.json is held back until the form has been submitted, as on a slow network
 * where the user is quicker than the page.
 */
async function login(id, name, { controllable = false, configAfterSubmit = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  const network = controllable ? await controllableNetwork(context) : null;
  let submitted = () => {};
  if (configAfterSubmit) {
    const submit = new Promise((resolve) => { submitted = resolve; });
    await context.route(/\/config\.json$/, async (route) => {
      await submit;
      await route.continue();
    });
  }
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[${name}] page error: ${error.message}`));
  const trace = traceOf(page);
  openPages.add(page);
  await page.goto(WEB_URL);
  await page.getByTestId('login-user-id').fill(String(id));
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-submit').click();
  submitted();
  try {
    await page.locator('[data-testid=connection-state][data-state=open]').waitFor(WAIT);
  } catch (error) {
    const shown = await page.evaluate(() => ({
      loginError: document.querySelector('[data-testid=login-error]')?.textContent,
      connectionState: document.querySelector('[data-testid=connection-state]')?.dataset.state,
      chatError: document.querySelector('[data-testid=chat-error]')?.textContent,
    })).catch((e) => ({ unreadable: e.message }));
    throw new Error(`${name} never connected (${error.message.split('\n')[0]}); the page shows `
      + `${JSON.stringify(shown)}; what it did:\n  ${trace.join('\n  ')}`, { cause: error });
  }
  // Every message event the page's client emits, to count deliveries per message id.
  await page.evaluate(() => {
    window.__delivered = [];
    window.chatApp.client.on('message', (m) => window.__delivered.push(m));
    window.chatApp.client.on('group_updated', (g) => window.__delivered.push({ group_updated: g }));
  });
  return { id, name, context, page, network };
}

/**
 * What a page did on the way to a connection (console output, failed requests, its WebSockets' handshakes, first
 * frames and closes), each with the time since login started: a login that never connects says why.
 */
function traceOf(page) {
  const started = Date.now();
  const trace = [];
  const note = (what) => trace.push(`+${Date.now() - started} ms ${what}`);
  page.on('console', (message) => note(`console.${message.type()}: ${message.text()}`));
  page.on('requestfailed', (request) => note(`${request.method()} ${request.url()} failed: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) {
      note(`${response.request().method()} ${response.url()} -> ${response.status()}`);
    }
  });
  page.on('websocket', (ws) => {
    const url = ws.url().replace(/token=[^&]*/, 'token=…');
    note(`WebSocket ${url} opening`);
    let frames = 0;
    ws.on('framereceived', (frame) => {
      if (++frames <= 3) {
        note(`WebSocket received ${String(frame.payload).slice(0, 160)}`);
      }
    });
    ws.on('socketerror', (error) => note(`WebSocket error: ${error}`));
    ws.on('close', () => note(`WebSocket closed after ${frames} frames`));
  });
  return trace;
}

async function closeUsers(...users) {
  for (const user of users) {
    openPages.delete(user.page);
    await user.context.close();
  }
}

async function screenshot(user, name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await user.page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Runs a scenario; when it fails, every open page is photographed first. */
async function scenario(name, body) {
  try {
    await body();
  } catch (error) {
    let i = 0;
    for (const page of openPages) {
      await page.screenshot({ path: path.join(ARTIFACTS, `FAILED-${name}-${++i}.png`), fullPage: true })
        .catch(() => {});
    }
    throw error;
  }
}

async function openChatWith(user, peerId) {
  await user.page.getByTestId('new-chat-user-id').fill(String(peerId));
  await user.page.getByTestId('new-chat-open').click();
  await user.page.locator('[data-testid=chat-subtitle]', { hasText: `user #${peerId}` }).waitFor(WAIT);
}

async function send(user, text) {
  await user.page.getByTestId('composer-input').fill(text);
  await user.page.getByTestId('composer-send').click();
}

/** The open chat's messages (system notices left out), as the page shows them. */
function shownMessages(user) {
  return user.page.evaluate(() => [...document.querySelectorAll('[data-testid=message]:not(.system)')].map((li) => ({
    content: li.querySelector('[data-testid=message-content]').textContent,
    id: li.dataset.id || null,
    seq: li.dataset.seq ? Number(li.dataset.seq) : null,
    status: li.querySelector('[data-testid=message-status]')?.dataset.status || null,
  })));
}

/**
 * Waits until the open chat shows exactly these messages, in this order, each one stored (with the id and seq the
 * server gave it: a message of the user's own shows before its acknowledgement, which may arrive after the other side
 * already has the message), then returns them.
 */
async function expectMessages(user, contents) {
  try {
    await user.page.waitForFunction((expected) => {
      const shown = [...document.querySelectorAll('[data-testid=message]:not(.system)')];
      return shown.every((li) => li.dataset.id && li.dataset.seq)
        && JSON.stringify(shown.map((li) => li.querySelector('[data-testid=message-content]').textContent))
          === JSON.stringify(expected);
    }, contents, WAIT);
  } catch (e) {
    const shown = await shownMessages(user);
    assert.deepEqual(shown.map((m) => m.content), contents, `${user.name}'s chat`);
    assert.deepEqual(shown.filter((m) => !m.id).map((m) => m.content), [], `${user.name}'s unacknowledged messages`);
  }
  return shownMessages(user);
}

function conversationItem(user, attributes) {
  const selector = Object.entries(attributes).map(([k, v]) => `[data-${k}="${v}"]`).join('');
  return user.page.locator(`[data-testid=conversation-item]${selector}`);
}

/** A token from the development token issuer, as the login page gets one. */
async function devToken(userId, name) {
  const response = await fetch(devTokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: userId, name }),
  });
  assert.equal(response.status, 200);
  return (await response.json()).token;
}

function api(path, token, body) {
  return fetch(`${messageUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function tokenOf(user) {
  return user.page.evaluate(() => JSON.parse(sessionStorage.getItem('erpchat.session')).token);
}

test('two users chat both ways, with unread counts, online dots, typing and read ticks', () => scenario('two-users', async () => {
  const bob = await login(USER_BASE + 2, 'Bob');
  const alice = await login(USER_BASE + 1, 'Alice');

  await openChatWith(alice, bob.id);
  await send(alice, 'Hello Bob');
  await alice.page.locator('[data-testid=message-status][data-status=sent]').waitFor(WAIT);

  const aliceInBobsList = conversationItem(bob, { 'peer-id': alice.id });
  await aliceInBobsList.locator('[data-testid=unread-count][data-count="1"]').waitFor(WAIT);
  await aliceInBobsList.locator('[data-testid=online-dot][data-online="true"]').waitFor(WAIT);
  assert.equal(await aliceInBobsList.getByTestId('conversation-last-message').textContent(), 'Hello Bob');
  await screenshot(bob, '1-bob-sees-unread-message');

  await aliceInBobsList.click();
  await expectMessages(bob, ['Hello Bob']);
  await aliceInBobsList.locator('[data-testid=unread-count][data-count="0"]').waitFor({ state: 'attached', ...WAIT });
  await alice.page.locator('[data-testid=message-status][data-status=read]').waitFor(WAIT);

  await bob.page.getByTestId('composer-input').pressSequentially('Hi Al');
  await alice.page.getByTestId('typing-indicator').filter({ hasText: 'Bob is typing' }).waitFor(WAIT);
  await send(bob, 'Hi Alice! Lunch at noon?');
  await expectMessages(alice, ['Hello Bob', 'Hi Alice! Lunch at noon?']);
  await alice.page.waitForFunction(() => document.querySelector('[data-testid=typing-indicator]').textContent === '',
    null, WAIT);
  await send(alice, 'Sure, see you there');

  const bobSees = await expectMessages(bob, ['Hello Bob', 'Hi Alice! Lunch at noon?', 'Sure, see you there']);
  const aliceSees = await expectMessages(alice, ['Hello Bob', 'Hi Alice! Lunch at noon?', 'Sure, see you there']);
  assert.deepEqual(bobSees.map((m) => m.seq), [1, 2, 3]);
  assert.deepEqual(aliceSees.map((m) => m.id), bobSees.map((m) => m.id));
  await screenshot(alice, '1-alice-chat');
  await screenshot(bob, '1-bob-chat');
  await closeUsers(alice, bob);
}));

test('a group of three talks, and a non-member sees nothing of it', () => scenario('group', async () => {
  const [owner, second, third, outsider] = await Promise.all([
    login(USER_BASE + 11, 'Olivia Owner'),
    login(USER_BASE + 12, 'Sam Second'),
    login(USER_BASE + 13, 'Tam Third'),
    login(USER_BASE + 14, 'Oscar Outsider'),
  ]);
  // The outsider knows the owner: they share a private chat, so they also share presence and contacts.
  await openChatWith(outsider, owner.id);
  await send(outsider, 'Hi Olivia, anything new?');
  await outsider.page.locator('[data-testid=message-status][data-status=sent]').waitFor(WAIT);

  await owner.page.getByTestId('new-group-toggle').click();
  await owner.page.getByTestId('new-group-name').fill('Launch team');
  await owner.page.getByTestId('new-group-members').fill(`${second.id}, ${third.id}`);
  await owner.page.getByTestId('new-group-create').click();
  await owner.page.locator('[data-testid=chat-title]', { hasText: '# Launch team' }).waitFor(WAIT);
  const groupId = Number(await owner.page.locator('[data-testid=conversation-item][data-type=group]')
    .getAttribute('data-group-id'));
  assert.ok(groupId > 0);
  await send(owner, 'Welcome to the launch team');

  for (const member of [second, third]) {
    const group = conversationItem(member, { 'group-id': groupId });
    await group.locator('[data-testid=conversation-last-message]', { hasText: 'Welcome to the launch team' })
      .waitFor(WAIT);
    await group.click();
    await expectMessages(member, ['Welcome to the launch team']);
  }
  await send(third, 'Count me in');
  // Stored before the next member writes: two members' sends that cross are numbered in either order.
  await third.page.locator('[data-testid=message]', { hasText: 'Count me in' })
    .locator('[data-testid=message-status]:not([data-status=sending])').waitFor(WAIT);
  await send(second, 'Me too');
  const expected = ['Welcome to the launch team', 'Count me in', 'Me too'];
  const seen = [];
  for (const member of [owner, second, third]) {
    seen.push(await expectMessages(member, expected));
  }
  assert.deepEqual(seen[1].map((m) => m.id), seen[0].map((m) => m.id));
  assert.deepEqual(seen[2].map((m) => m.id), seen[0].map((m) => m.id));
  await screenshot(third, '2-group-member-view');

  // Everything the members saw has been delivered; the outsider's page got none of it.
  assert.equal(await outsider.page.locator('[data-testid=conversation-item][data-type=group]').count(), 0);
  assert.equal(await outsider.page.locator('[data-testid=conversation-item]').count(), 1);
  const outsiderText = await outsider.page.locator('body').innerText();
  assert.ok(!outsiderText.includes('Launch team'), 'the outsider sees the group name');
  assert.ok(!outsiderText.includes('Welcome to the launch team'), 'the outsider sees a group message');
  const delivered = await outsider.page.evaluate(() => window.__delivered);
  assert.deepEqual(delivered.filter((e) => e.group_id === groupId || e.group_updated), []);
  const history = await fetch(`${messageUrl}/api/conversations/${groupId}/messages`,
    { headers: { Authorization: `Bearer ${await tokenOf(outsider)}` } });
  assert.equal(history.status, 404);
  await screenshot(outsider, '2-outsider-view');
  await closeUsers(owner, second, third, outsider);
}));

test('after a cut connection, missed messages appear exactly once and in order', () => scenario('reconnect', async () => {
  const sender = await login(USER_BASE + 21, 'Sara Sender');
  const receiver = await login(USER_BASE + 22, 'Ravi Receiver', { controllable: true });
  await openChatWith(sender, receiver.id);
  await send(sender, 'before the cut');
  const chat = conversationItem(receiver, { 'peer-id': sender.id });
  await chat.click();
  await expectMessages(receiver, ['before the cut']);
  await conversationItem(sender, { 'peer-id': receiver.id })
    .locator('[data-testid=online-dot][data-online="true"]').waitFor(WAIT);

  // The network goes away: the open connection is cut, and no new one can be made.
  await receiver.network.cut();
  await receiver.page.getByTestId('reconnecting-banner').waitFor({ state: 'visible', ...WAIT });
  await conversationItem(sender, { 'peer-id': receiver.id })
    .locator('[data-testid=online-dot][data-online="false"]').waitFor(WAIT);

  const missed = [1, 2, 3, 4, 5].map((i) => `while you were away ${i}`);
  for (const text of missed) {
    await send(sender, text);
  }
  await sender.page.waitForFunction(
    () => document.querySelectorAll('[data-testid=message-status]:not([data-status=sending])').length === 6, null, WAIT);
  await send(receiver, 'written while offline');
  await receiver.page.locator('[data-testid=message-status][data-status=sending]').waitFor(WAIT);
  await receiver.page.waitForFunction(() => window.chatApp.client.state === 'reconnecting', null, WAIT);
  await screenshot(receiver, '3-receiver-offline');

  // The network is back (and the browser says so, as it does when it notices).
  receiver.network.restore();
  await receiver.page.evaluate(() => window.dispatchEvent(new Event('online')));
  await receiver.page.getByTestId('reconnecting-banner').waitFor({ state: 'hidden', ...WAIT });
  const expected = ['before the cut', ...missed, 'written while offline'];
  await expectMessages(receiver, expected);
  // Stored (a tick), or already read by the sender, whose chat is open.
  await receiver.page.waitForFunction(() => document.querySelectorAll('[data-status=sending]').length === 0
    && document.querySelectorAll('[data-status=sent], [data-status=read]').length === 1, null, WAIT);
  const shown = await expectMessages(receiver, expected);
  const senderShown = await expectMessages(sender, expected);

  assert.deepEqual(shown.map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(senderShown.map((m) => m.id), shown.map((m) => m.id));
  const deliveries = await receiver.page.evaluate(() => window.__delivered.map((m) => m.id));
  const counts = {};
  for (const id of deliveries) {
    counts[id] = (counts[id] || 0) + 1;
  }
  assert.deepEqual(Object.values(counts).filter((n) => n !== 1), [], 'a message was delivered twice');
  for (const m of shown) {
    assert.equal(counts[m.id], 1, `"${m.content}" delivered ${counts[m.id] || 0} times`);
  }
  assert.ok(receiver.network.refused >= 1, 'the client kept trying while the network was down');
  await screenshot(receiver, '3-receiver-after-reconnect');
  await screenshot(sender, '3-sender-after-reconnect');
  await closeUsers(sender, receiver);
}));

test('scrolls back through a long history, page by page', () => scenario('history', async () => {
  const writer = { id: USER_BASE + 31, token: await devToken(USER_BASE + 31, 'Wanda Writer') };
  const readerToken = await devToken(USER_BASE + 32, 'Rita Reader');
  // message-service learns users from their first call.
  assert.equal((await api('/api/users/me', readerToken)).status, 200);
  assert.equal((await api('/api/users/me', writer.token)).status, 200);
  // 40 messages over REST while the reader is away, 20 from each side (a user may send 20 at once before the rate
  // limit applies). The reader's own sends move the reader's read marker, so 20 are unread.
  const contents = Array.from({ length: 40 }, (_, i) => `note ${String(i + 1).padStart(2, '0')}`);
  for (const [i, content] of contents.entries()) {
    const fromReader = i < 20;
    const response = await api('/api/messages/private', fromReader ? readerToken : writer.token, {
      receiver_id: fromReader ? writer.id : USER_BASE + 32, content, client_msg_id: `history-${USER_BASE}-${i}`,
    });
    assert.equal(response.status, 201, await response.text());
  }
  const reader = await login(USER_BASE + 32, 'Rita Reader', { configAfterSubmit: true });

  const chat = conversationItem(reader, { 'peer-id': writer.id });
  await chat.locator('[data-testid=unread-count][data-count="20"]').waitFor(WAIT);
  await chat.click();
  const latest = await expectMessages(reader, contents.slice(-30));
  assert.deepEqual(latest.map((m) => m.seq), Array.from({ length: 30 }, (_, i) => i + 11));
  await reader.page.getByTestId('load-older').click();
  const all = await expectMessages(reader, contents);
  assert.deepEqual(all.map((m) => m.seq), Array.from({ length: 40 }, (_, i) => i + 1));
  await reader.page.getByTestId('load-older').waitFor({ state: 'hidden', ...WAIT });
  await screenshot(reader, '4-history-scrolled-back');
  await closeUsers(reader);
}));
