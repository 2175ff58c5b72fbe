// Send tracking: every send has a client_msg_id and stays pending until the server stored it (`message_sent`, or a
// replayed copy) or refused it for good. A pending send goes out once per connection, again after a reconnect, after
// `ackTimeoutMs` without an answer, and after a retryable refusal (the whole queue pauses for the delay), always with
// the SAME client_msg_id, so the server stores it at most once (docs/protocol.md §6).

import { backoffDelay } from './backoff.js';

/** A send the server refused for good (`message_error` with a code that must not be retried, or a local check). */
export class SendError extends Error {
  constructor(code, message, details = {}) {
    super(message || code);
    this.name = 'SendError';
    this.code = code;
    this.details = details;
  }
}

export class Sends {
  /**
   * @param {object} link what the connection offers: `canSend()` (authenticated, open, not resuming),
   *     `connection()` (a number that changes with every socket), `rawSend(event, data)` (false when it could not
   *     write), `emit(event, payload)`
   * @param {object} settings `ackTimeoutMs`, `backoff`, `random`, `setTimer`, `clearTimer`
   */
  constructor(link, settings) {
    this.link = link;
    this.settings = settings;
    this.pending = new Map(); // client_msg_id -> pending send, in the order they were made
    this.resumeTimer = null;
  }

  /**
   * Tracks a new send (or returns the promise of the pending one with the same client_msg_id) and sends it when it
   * can. The promise carries `clientMsgId`; it resolves with the stored message and rejects with a SendError.
   * `onNew` runs when the send is new, before it goes out.
   */
  track(event, data, maxFrameBytes, onNew = () => {}) {
    const clientMsgId = data.client_msg_id;
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.clientMsgId = clientMsgId;
    const size = JSON.stringify({ event, data }).length;
    if (size > maxFrameBytes) {
      reject(new SendError('frame_too_large', `the message is ${size} bytes, the limit is ${maxFrameBytes}`));
      return promise;
    }
    if (this.pending.has(clientMsgId)) {
      return this.pending.get(clientMsgId).promise;
    }
    this.pending.set(clientMsgId, {
      clientMsgId, event, data, resolve, reject, promise, sentOn: 0, attempts: 0, retries: 0, ackTimer: null,
    });
    onNew();
    this.link.emit('sending', { client_msg_id: clientMsgId, event, data });
    this.flush();
    return promise;
  }

  has(clientMsgId) {
    return this.pending.has(clientMsgId);
  }

  /** Unacknowledged sends, oldest first. */
  list() {
    return [...this.pending.values()].map((p) => ({ client_msg_id: p.clientMsgId, event: p.event, data: p.data }));
  }

  /** Sends every pending send not yet sent on this connection, in order, unless sending is paused or impossible. */
  flush() {
    if (!this.link.canSend() || this.resumeTimer != null) {
      return;
    }
    const connection = this.link.connection();
    for (const pending of this.pending.values()) {
      if (pending.sentOn === connection) {
        continue;
      }
      if (!this.link.rawSend(pending.event, pending.data)) {
        return;
      }
      pending.sentOn = connection;
      pending.attempts++;
      this.clearAckTimer(pending);
      pending.ackTimer = this.settings.setTimer(() => {
        pending.ackTimer = null;
        if (this.pending.get(pending.clientMsgId) === pending && pending.sentOn === connection) {
          // No answer: send the same frame again; the server stores it at most once.
          pending.sentOn = 0;
          this.flush();
        }
      }, this.settings.ackTimeoutMs);
    }
  }

  /** The message the server stored for a pending send: resolves it. False when no send was pending under that id. */
  stored(clientMsgId, message) {
    const pending = clientMsgId == null ? undefined : this.pending.get(clientMsgId);
    if (!pending) {
      return false;
    }
    this.clearAckTimer(pending);
    this.pending.delete(clientMsgId);
    pending.resolve(message);
    this.link.emit('ack', { client_msg_id: clientMsgId, message });
    return true;
  }

  /** A refusal for good: rejects the pending send. */
  refused(clientMsgId, error) {
    const pending = this.pending.get(clientMsgId);
    if (!pending) {
      return;
    }
    this.clearAckTimer(pending);
    this.pending.delete(clientMsgId);
    pending.reject(error);
    this.link.emit('send_error', {
      client_msg_id: clientMsgId, code: error.code, message: error.message, ...error.details,
    });
  }

  /**
   * A refusal worth retrying: the send goes again after `waitMs` (or the backoff of its retries), and the whole queue
   * waits with it, so sends stay in order. Returns the delay.
   */
  retryLater(clientMsgId, waitMs) {
    const pending = this.pending.get(clientMsgId);
    const wait = waitMs ?? backoffDelay(pending.retries, this.settings.backoff, this.settings.random) + 250;
    pending.retries++;
    this.clearAckTimer(pending);
    pending.sentOn = 0;
    this.pause(wait);
    return wait;
  }

  /** The connection is gone: every pending send goes again on the next one. */
  connectionLost() {
    for (const pending of this.pending.values()) {
      this.clearAckTimer(pending);
      pending.sentOn = 0;
    }
  }

  /** Stops every timer (the client closed for good); the sends stay pending for a later connect(). */
  stopTimers() {
    if (this.resumeTimer != null) {
      this.settings.clearTimer(this.resumeTimer);
      this.resumeTimer = null;
    }
    for (const pending of this.pending.values()) {
      this.clearAckTimer(pending);
    }
  }

  pause(ms) {
    if (this.resumeTimer != null) {
      this.settings.clearTimer(this.resumeTimer);
    }
    this.resumeTimer = this.settings.setTimer(() => {
      this.resumeTimer = null;
      this.flush();
    }, Math.max(0, ms));
  }

  clearAckTimer(pending) {
    if (pending.ackTimer != null) {
      this.settings.clearTimer(pending.ackTimer);
      pending.ackTimer = null;
    }
  }
}
