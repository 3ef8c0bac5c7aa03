// Child processes for every runner of Sightline (npm start, npm test, benches, chaos, tests): run to
// completion, start long-running ones with their output prefixed, captured or handed over line by
// line, stop them, and wait for ports. Plain ESM without dependencies: `npm start` and `npm test`
// load it before `npm install` has run.
import { spawn, spawnSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { prefixer, say } from './output.mjs';

/** Runs a command to completion with inherited output; throws with its exit code on failure. */
export function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** Runs a TypeScript entry point with tsx loaded in the same process (signals reach it directly). */
export function tsNode(file) {
  return [process.execPath, ['--import', 'tsx', file]];
}

/**
 * Starts a long-running child. Its output is prefixed with its name on our stdout (quiet: stderr
 * only), or with `output: 'capture'` kept in `child.output`, or with `output: (line) => ...`
 * handed over line by line (both streams).
 */
export function startProcess(name, cmd, args, { quiet = false, output, ...opts } = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (output === 'capture') {
    child.output = [];
    const keep = (chunk) => child.output.push(chunk.toString());
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
  } else if (typeof output === 'function') {
    for (const stream of [child.stdout, child.stderr]) stream.on('data', lineSplitter(output));
  } else {
    const out = prefixer(name);
    // Quiet children (stores) only show errors they print to stderr.
    if (!quiet) child.stdout.on('data', out);
    else child.stdout.resume();
    child.stderr.on('data', out);
  }
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

function lineSplitter(onLine) {
  let partial = '';
  return (chunk) => {
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line);
  };
}

/** True while the child has neither exited nor been killed. */
export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the child has exited. */
export async function stopProcess(child, timeoutMs = 10_000) {
  if (!isRunning(child)) return;
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

/** SIGKILL, as a crash or the OOM killer would; resolves once the child has exited. */
export async function killProcess(child) {
  if (!isRunning(child)) return;
  child.kill('SIGKILL');
  await child.exited;
}

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
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
  // `env VAR=… cmd` adds to the inherited environment without this library reading it.
  const aptCommand = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const [bin, ...prefix] = [...sudo, ...aptCommand];
  const aptGet = (args) => run(bin, [...prefix, ...args]);
  if (!aptUpdated) {
    aptGet(['update', '-q']);
    aptUpdated = true;
  }
  aptGet(['install', '-y', '-q', '--no-install-recommends', pkg]);
  if (!commandExists(command)) throw new Error(`Installing ${pkg} did not provide ${command}`);
}
