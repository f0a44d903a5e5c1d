/** @typedef {import('./types.js').KeyValueStorage} KeyValueStorage */

/** Keeps everything in memory: nothing survives a reload (tests, server-side bots). */
export class MemoryStorage {
  constructor() {
    /** @type {Map<string, string>} */
    this._map = new Map();
  }

  /** @param {string} key */
  get(key) {
    const text = this._map.get(key);
    return text === undefined ? null : JSON.parse(text);
  }

  /** @param {string} key @param {any} value */
  set(key, value) {
    // Stored as JSON, like the web storage, so a value read back is never the caller's live object.
    this._map.set(key, JSON.stringify(value));
  }

  /** @param {string} key */
  remove(key) {
    this._map.delete(key);
  }
}

/**
 * Keeps values as JSON in a Web Storage (`localStorage` by default), under a prefix so several accounts or apps
 * can share one origin.
 */
export class WebStorage {
  /**
   * @param {object} [options]
   * @param {Storage} [options.storage] defaults to `globalThis.localStorage`
   * @param {string} [options.prefix]
   */
  constructor({ storage = globalThis.localStorage, prefix = 'parley:' } = {}) {
    if (!storage) {
      throw new TypeError('No Web Storage here: pass one, or use MemoryStorage');
    }
    this._storage = storage;
    this._prefix = prefix;
  }

  /** @param {string} key */
  get(key) {
    const text = this._storage.getItem(this._prefix + key);
    if (text === null) {
      return null;
    }
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }

  /** @param {string} key @param {any} value */
  set(key, value) {
    this._storage.setItem(this._prefix + key, JSON.stringify(value));
  }

  /** @param {string} key */
  remove(key) {
    this._storage.removeItem(this._prefix + key);
  }
}
