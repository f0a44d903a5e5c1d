// A TCP proxy between a client and Parley that a test can cut (every connection reset, new ones refused, as when
// a phone loses its network) and restore on the same port.
import { createServer, connect } from 'node:net';

/**
 * @param {number} targetPort
 * @returns {Promise<{port: number, baseUrl: string, cut: () => Promise<void>, restore: () => Promise<void>,
 *   close: () => Promise<void>, connections: () => number}>}
 */
export async function startProxy(targetPort) {
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  let total = 0;
  const server = createServer((client) => {
    total++;
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (/** @type {number} */ port) => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  await listen(0);
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  let up = true;
  const cut = async () => {
    if (!up) {
      return;
    }
    up = false;
    const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
    for (const socket of sockets) {
      socket.resetAndDestroy?.() ?? socket.destroy();
    }
    sockets.clear();
    await closed;
  };
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    cut,
    restore: async () => {
      if (!up) {
        await listen(port);
        up = true;
      }
    },
    close: cut,
    connections: () => total,
  };
}
