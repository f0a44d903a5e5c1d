import { deflateSync } from 'node:zlib';
import WebSocket from 'ws';
import { MemoryStorage, Parley } from '../../src/index.js';

let counter = 0;
/** @type {Set<Parley>} */
const everyone = new Set();

/** Stops every SDK instance made here (their sockets and timers would keep the test process alive). */
export function stopAll() {
  for (const parley of everyone) {
    parley.stop();
  }
  everyone.clear();
}

/** @param {Parley} parley */
export function track(parley) {
  everyone.add(parley);
  return parley;
}

/** A username unique to this run. @param {string} prefix */
export function uniqueName(prefix) {
  counter++;
  return `${prefix}_${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${counter}`.slice(0, 32);
}

/**
 * A Parley SDK instance for Node 20 (the ws package as its WebSocket), signed up as a new user.
 * @param {string} baseUrl
 * @param {string} prefix
 * @param {{storage?: MemoryStorage, pingMs?: number}} [options]
 */
export async function newUser(baseUrl, prefix, { storage = new MemoryStorage(), pingMs = 2000 } = {}) {
  const parley = track(new Parley({
    baseUrl, storage, WebSocket: /** @type {any} */ (WebSocket), pingMs, backoff: { initial: 100, max: 1000 },
  }));
  const username = uniqueName(prefix);
  await parley.register({ username, password: 'correct horse battery', display_name: prefix });
  return { parley, username, storage, id: /** @type {string} */ (parley.user?.user_id) };
}

/**
 * Another device of the same user: a new SDK instance that logs in.
 * @param {string} baseUrl
 * @param {string} username
 */
export async function newDevice(baseUrl, username) {
  const parley = track(new Parley({ baseUrl, WebSocket: /** @type {any} */ (WebSocket), pingMs: 2000,
    backoff: { initial: 100, max: 1000 } }));
  await parley.login({ username, password: 'correct horse battery' });
  return parley;
}

/**
 * Polls until `check` returns a truthy value (or stops throwing); fails with the last reason after `timeoutMs`.
 * @template T
 * @param {() => T | Promise<T>} check
 * @param {{timeoutMs?: number, message?: string}} [options]
 * @returns {Promise<T>}
 */
export async function waitFor(check, { timeoutMs = 20_000, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) {
        return value;
      }
      last = 'falsy';
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${message}: ${last instanceof Error ? last.message : last}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves when the connection of `parley` reaches `state`. @param {Parley} parley @param {string} state */
export function connectionReaches(parley, state, timeoutMs = 30_000) {
  return waitFor(() => parley.connectionState === state, { timeoutMs, message: `connection ${state}` });
}

/**
 * A real PNG of noise (so it does not compress away), `width` x `height`, RGB.
 * @param {number} width
 * @param {number} height
 */
export function noisePng(width, height) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let seed = 12345;
  for (let i = 0; i < raw.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    raw[i] = i % (width * 3 + 1) === 0 ? 0 : seed >> 16 & 0xff;
  }
  const chunk = (/** @type {string} */ type, /** @type {Buffer} */ data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return new Uint8Array(Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
}

/** @param {Buffer} bytes */
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}
