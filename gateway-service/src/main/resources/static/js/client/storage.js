// Where positions are kept when the app gives no storage.

/** The default storage: a Map with the localStorage interface (getItem/setItem/removeItem). */
export class MemoryStorage {
  constructor() {
    this.items = new Map();
  }

  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }

  setItem(key, value) {
    this.items.set(key, String(value));
  }

  removeItem(key) {
    this.items.delete(key);
  }
}
