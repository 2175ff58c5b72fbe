// What the client holds of each conversation, so that a reconnect resumes exactly after it (docs/protocol.md §8), and
// which messages it already delivered to the app, so that none is emitted twice.

const MAX_REMEMBERED_IDS = 10000;

/**
 * Splits `positions` ({conversation id: seq}) into the data of `resume` frames that each fit in `maxFrameBytes` once
 * wrapped in the envelope; every frame but the last says `more: true` (docs/protocol.md §8). Always at least one frame.
 */
export function resumeFrames(positions, maxFrameBytes = 16384) {
  // Room for {"event":"resume","data":{"positions":{...},"more":true}} and some slack.
  const budget = Math.max(256, maxFrameBytes - 96);
  const frames = [];
  let current = {};
  let size = 2;
  for (const [conversationId, seq] of Object.entries(positions)) {
    const entry = JSON.stringify(String(conversationId)).length + 1 + String(seq).length + 1;
    if (size + entry > budget && Object.keys(current).length > 0) {
      frames.push(current);
      current = {};
      size = 2;
    }
    current[conversationId] = seq;
    size += entry;
  }
  frames.push(current);
  return frames.map((part, i) => (i < frames.length - 1 ? { positions: part, more: true } : { positions: part }));
}

/**
 * The highest seq held per conversation, kept in `storage` under `<storageKey>:<user id>` once the user is known.
 * Positions only move forward.
 */
export class Positions {
  constructor(storage, storageKey, logger) {
    this.storage = storage;
    this.storageKey = storageKey;
    this.logger = logger;
    this.map = new Map(); // conversation id (string) -> highest seq held
    this.userId = null;
  }

  /** A copy: {"<conversation id>": highest seq held}. */
  all() {
    return Object.fromEntries(this.map);
  }

  /** The highest seq held in a conversation (0 if none). */
  of(conversationId) {
    return this.map.get(String(conversationId)) || 0;
  }

  /** Moves a conversation's position forward to `seq` (never back), and stores it. */
  advance(conversationId, seq) {
    const key = String(conversationId);
    const value = Number(seq);
    if (!Number.isFinite(value) || value < 0) {
      return;
    }
    if ((this.map.get(key) ?? -1) < value) {
      this.map.set(key, value);
      this.save();
    }
  }

  /** Forgets everything (another user signed in on this client). */
  clear() {
    this.map.clear();
  }

  /** The user is known: merges what the storage kept for them, then keeps storing there. */
  load(userId) {
    this.userId = userId;
    let stored = null;
    try {
      const raw = this.storage.getItem(this.keyFor(userId));
      stored = raw ? JSON.parse(raw) : null;
    } catch (e) {
      this.logger.warn('chat-client: unreadable stored positions', e);
    }
    if (stored && typeof stored === 'object') {
      for (const [conversationId, seq] of Object.entries(stored)) {
        const key = String(conversationId);
        const value = Number(seq);
        if (Number.isFinite(value) && (this.map.get(key) ?? -1) < value) {
          this.map.set(key, value);
        }
      }
    }
    this.save();
  }

  keyFor(userId) {
    return `${this.storageKey}:${userId}`;
  }

  save() {
    if (this.userId == null) {
      return;
    }
    try {
      this.storage.setItem(this.keyFor(this.userId), JSON.stringify(this.all()));
    } catch (e) {
      this.logger.warn('chat-client: cannot store positions', e);
    }
  }
}

/** Message ids already delivered to the app: the most recent 10,000, oldest forgotten first. */
export class SeenIds {
  constructor(max = MAX_REMEMBERED_IDS) {
    this.max = max;
    this.ids = new Set();
  }

  has(id) {
    return this.ids.has(id);
  }

  add(id) {
    if (this.ids.has(id)) {
      return;
    }
    this.ids.add(id);
    if (this.ids.size > this.max) {
      this.ids.delete(this.ids.values().next().value);
    }
  }

  clear() {
    this.ids.clear();
  }
}
