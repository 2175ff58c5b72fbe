// Test helpers: fake timers (no test ever waits for real time) and promises of client events.

import { WebSocket } from 'ws';
import { ChatClient } from '../../../main/resources/static/js/chat-client.js';
import { ProtocolFixture } from './protocol-fixture.mjs';

/** Timer functions and a clock that only move when the test says so. */
export class FakeTimers {
  constructor(start = 1_700_000_000_000) {
    this.time = start;
    this.timers = new Map();
    this.nextId = 1;
    this.setTimeout = (fn, ms) => {
      const id = this.nextId++;
      this.timers.set(id, { fn, due: this.time + Math.max(0, ms), ms });
      return id;
    };
    this.clearTimeout = (id) => {
      this.timers.delete(id);
    };
    this.now = () => this.time;
  }

  /** Moves the clock forward, running every timer that falls due, in order. */
  advance(ms) {
    const target = this.time + ms;
    for (;;) {
      let nextId = null;
      let next = null;
      for (const [id, timer] of this.timers) {
        if (timer.due <= target && (next == null || timer.due < next.due)) {
          nextId = id;
          next = timer;
        }
      }
      if (next == null) {
        break;
      }
      this.timers.delete(nextId);
      this.time = Math.max(this.time, next.due);
      next.fn();
    }
    this.time = target;
  }

  /** Delays of the timers still waiting. */
  pendingDelays() {
    return [...this.timers.values()].map((t) => t.ms);
  }
}

/** Resolves with the arguments of the client's next `event` that satisfies the predicate. */
export function nextEvent(client, event, predicate = () => true) {
  return new Promise((resolve) => {
    const off = client.on(event, (...args) => {
      if (predicate(...args)) {
        off();
        resolve(args.length > 1 ? args : args[0]);
      }
    });
  });
}

/** Collects every emission of an event into an array. */
export function record(client, event) {
  const seen = [];
  client.on(event, (...args) => seen.push(args.length > 1 ? args : args[0]));
  return seen;
}

/** A started fixture, and a factory of clients wired to it with fake timers. */
export async function setup() {
  const fixture = await new ProtocolFixture().start();
  const timers = new FakeTimers();
  const clients = [];
  const newClient = (options = {}) => {
    const client = new ChatClient({
      url: fixture.url,
      WebSocketImpl: WebSocket,
      timers,
      now: timers.now,
      random: () => 0.5,
      ...options,
    });
    clients.push(client);
    return client;
  };
  const teardown = async () => {
    for (const client of clients) {
      client.close();
    }
    await fixture.stop();
  };
  return { fixture, timers, newClient, teardown };
}

/** Connects and waits for the resume to finish, so the client is ready to send. */
export async function connectAndResume(client) {
  const resumed = nextEvent(client, 'resumed');
  await client.connect();
  return resumed;
}
