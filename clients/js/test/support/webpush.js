// A Web Push service stand-in for the browser tests: a subscription's key pair made here (so that this side can
// decrypt what Parley sends, RFC 8291 aes128gcm) and a loopback HTTP endpoint that records each push, decrypted.
import { createDecipheriv, createECDH, createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

/** @param {Buffer} key @param {Buffer} data */
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/**
 * Decrypts one aes128gcm record (RFC 8188 header: salt, record size, key id = the server's public key).
 * @param {Buffer} body
 * @param {import('node:crypto').ECDH} ecdh the subscription's key pair
 * @param {Buffer} authSecret
 */
export function decrypt(body, ecdh, authSecret) {
  const salt = body.subarray(0, 16);
  const idLength = body[20];
  const serverPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = ecdh.computeSecret(serverPublic);
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), serverPublic, Buffer.from([1])]);
  const ikm = hmac(hmac(authSecret, shared), info);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01', 'latin1')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01', 'latin1')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then padding zeros.
  return plain.subarray(0, plain.lastIndexOf(2)).toString('utf8');
}

/**
 * Starts the stand-in. `subscription` is what a browser's `PushSubscription.toJSON()` would give for it.
 * @returns {Promise<{subscription: {endpoint: string, keys: {p256dh: string, auth: string}},
 *   pushes: {headers: import('node:http').IncomingHttpHeaders, payload: any}[], close: () => Promise<void>}>}
 */
export async function startPushService() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authSecret = randomBytes(16);
  /** @type {{headers: import('node:http').IncomingHttpHeaders, payload: any}[]} */
  const pushes = [];
  const server = createServer((request, response) => {
    /** @type {Buffer[]} */
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const payload = JSON.parse(decrypt(Buffer.concat(chunks), ecdh, authSecret));
        pushes.push({ headers: request.headers, payload });
        response.writeHead(201).end();
      } catch (error) {
        pushes.push({ headers: request.headers, payload: { undecryptable: String(error) } });
        response.writeHead(400).end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    subscription: {
      endpoint: `http://127.0.0.1:${port}/push/${randomBytes(8).toString('hex')}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
    },
    pushes,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
