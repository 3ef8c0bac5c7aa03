import { spawn, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { prefixer, say } from './output.mjs';

/** Runs a command to completion with inherited output; throws with its exit code on failure. */
export function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** Starts a long-running child whose output is prefixed with its name. */
export function startProcess(name, cmd, args, { quiet = false, ...opts } = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const out = prefixer(name);
  // Quiet children (test stores) only show errors they print to stderr.
  if (!quiet) child.stdout.on('data', out);
  else child.stdout.resume();
  child.stderr.on('data', out);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

export async function stopProcess(child, timeoutMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await child.exited;
  clearTimeout(timer);
}

export function canConnect(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function waitFor(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Timed out after ${timeoutMs / 1000}s waiting for ${what}`);
}

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort() {
  return new Promise((resolve, reject) => {
    import('node:net').then(({ createServer }) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    });
  });
}

export function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

let aptUpdated = false;
/** Installs Debian packages when their command is missing (needs root, as on our machines). */
export function ensureDebianPackage(command, pkg) {
  if (commandExists(command)) return;
  say(`${command} not found: installing Debian package ${pkg} (one-time)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const aptGet = (args) =>
    sudo.length ? run('sudo', ['apt-get', ...args], { env }) : run('apt-get', args, { env });
  if (!aptUpdated) {
    aptGet(['update', '-q']);
    aptUpdated = true;
  }
  aptGet(['install', '-y', '-q', '--no-install-recommends', pkg]);
  if (!commandExists(command)) throw new Error(`Installing ${pkg} did not provide ${command}`);
}
