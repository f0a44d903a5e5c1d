/**
 * A small typed event emitter: `Events` maps each event name to its payload type.
 * @template {{[name: string]: any}} Events
 */
export class Emitter {
  constructor() {
    /** @type {Map<keyof Events, Set<(payload: any) => void>>} */
    this._listeners = new Map();
  }

  /**
   * @template {keyof Events} K
   * @param {K} name
   * @param {(payload: Events[K]) => void} listener
   * @returns {() => void} removes the listener
   */
  on(name, listener) {
    let set = this._listeners.get(name);
    if (!set) {
      set = new Set();
      this._listeners.set(name, set);
    }
    set.add(listener);
    return () => this.off(name, listener);
  }

  /**
   * @template {keyof Events} K
   * @param {K} name
   * @param {(payload: Events[K]) => void} listener
   */
  off(name, listener) {
    this._listeners.get(name)?.delete(listener);
  }

  /**
   * @template {keyof Events} K
   * @param {K} name
   * @param {Events[K]} payload
   */
  emit(name, payload) {
    for (const listener of [...(this._listeners.get(name) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        // A listener's bug must not stop delivery to the others, nor the SDK's own loop.
        setTimeout(() => { throw error; });
      }
    }
  }
}
