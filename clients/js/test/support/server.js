// Starts a real Parley for the tests: the packaged jar (built once if missing) on a free loopback port, with its
// own temporary data folder (embedded PostgreSQL), stopped by PID afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, closeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
// Every server started, by PID, so that .ci/run can stop any a killed test process left behind.
const PID_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../test-results/server-pids');
const JDK25 = '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java';

/** The server jar, built with Maven when there is none yet. */
export function serverJar() {
  const target = join(ROOT, 'target');
  const find = () => existsSync(target) ? readdirSync(target)
    .filter((f) => /^parley-.*\.jar$/.test(f) && !f.endsWith('-plain.jar')).map((f) => join(target, f))[0] : undefined;
  let jar = find();
  if (!jar) {
    const built = spawnSync('./mvnw', ['-q', '-B', '-ntp', 'package', '-DskipTests'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) {
      throw new Error('Could not build the server jar');
    }
    jar = find();
  }
  if (!jar) {
    throw new Error('No server jar under target/');
  }
  return jar;
}

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * @param {{env?: Record<string, string>}} [options] extra environment (PARLEY_* settings)
 * @returns {Promise<{baseUrl: string, port: number, pid: number, logFile: string, stop: () => Promise<void>}>}
 */
export async function startParley({ env = {} } = {}) {
  const jar = serverJar();
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-js-test-'));
  const logFile = join(dataDir, 'server.log');
  const log = openSync(logFile, 'a');
  const baseUrl = `http://127.0.0.1:${port}`;
  const java = process.env.PARLEY_TEST_JAVA ?? (existsSync(JDK25) ? JDK25 : 'java');
  const childEnv = { ...process.env };
  // The embedded PostgreSQL is used only when no datasource is configured.
  for (const name of ['SPRING_DATASOURCE_URL', 'SPRING_DATASOURCE_USERNAME', 'SPRING_DATASOURCE_PASSWORD']) {
    delete childEnv[name];
  }
  const child = spawn(java, ['-Xmx768m', '-XX:TieredStopAtLevel=1', '-jar', jar], {
    cwd: dataDir,
    env: {
      ...childEnv,
      SERVER_ADDRESS: '127.0.0.1',
      SERVER_PORT: String(port),
      PARLEY_DATA_DIR: dataDir,
      PARLEY_STORAGE_LOCAL_PUBLIC_URL: baseUrl,
      // Tests register many users from one address.
      PARLEY_LIMITS_REGISTRATIONS_PER_ADDRESS: '0',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  mkdirSync(dirname(PID_FILE), { recursive: true });
  appendFileSync(PID_FILE, `${child.pid}\n`);
  // A test process ended by a signal (a CI timeout) must not leave the server and its PostgreSQL behind.
  const onSignal = (/** @type {NodeJS.Signals} */ signal) => {
    child.kill('SIGTERM');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  let exited = false;
  const exit = new Promise((resolveExit) => child.on('exit', () => {
    exited = true;
    resolveExit(undefined);
  }));
  const stop = async () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    if (!exited) {
      process.kill(/** @type {number} */ (child.pid), 'SIGTERM');
      const killed = await Promise.race([exit.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 60_000))]);
      if (!killed) {
        process.kill(/** @type {number} */ (child.pid), 'SIGKILL');
        await exit;
      }
    }
    if (!process.env.PARLEY_TEST_KEEP_DATA) {
      await rm(dataDir, { recursive: true, force: true });
    }
  };
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`Parley exited during start-up:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(`${baseUrl}/health/ready`);
      if (response.ok) {
        return { baseUrl, port, pid: /** @type {number} */ (child.pid), logFile, stop };
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`Parley did not become ready in time:\n${tail(logFile)}`);
}

/** @param {string} file */
function tail(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
  } catch {
    return '(no log)';
  }
}
