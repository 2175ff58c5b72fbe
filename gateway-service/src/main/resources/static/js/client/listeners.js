// Event listeners of the client: a listener that throws is logged and never stops the others or the client.

export class Listeners {
  constructor(logger) {
    this.logger = logger;
    this.byEvent = new Map();
  }

  /** Adds a listener; returns a function that removes it. */
  on(event, fn) {
    if (!this.byEvent.has(event)) {
      this.byEvent.set(event, new Set());
    }
    this.byEvent.get(event).add(fn);
    return () => this.off(event, fn);
  }

  off(event, fn) {
    const set = this.byEvent.get(event);
    if (set) {
      set.delete(fn);
    }
  }

  emit(event, ...args) {
    const set = this.byEvent.get(event);
    if (!set) {
      return;
    }
    for (const fn of [...set]) {
      try {
        fn(...args);
      } catch (e) {
        this.logger.warn(`chat-client: a '${event}' listener threw`, e);
      }
    }
  }
}
