// Prefixed, coloured output for every process the orchestrator runs. pino JSON lines are shown
// as `time level message {extra}` so logs stay readable in a terminal.
const COLORS = [36, 35, 33, 32, 34, 91, 96, 95];
let next = 0;
// Off until the orchestrator, which owns the environment, turns it on (configureOutput).
let useColor = false;
const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Called once by `npm start` / `npm test` with what their terminal and NO_COLOR allow. */
export function configureOutput({ color }) {
  useColor = color;
}

export function paint(code, text) {
  return useColor ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export function say(message) {
  console.log(`${paint(1, '[sightline]')} ${message}`);
}

// Lines every Debian clickhouse-server prints at start-up about optional config it does not need.
const NOISE = /^(Include not found: |Logging (warning|errors|information) to )/;

export function prefixer(name) {
  const color = COLORS[next++ % COLORS.length];
  const label = paint(color, `[${name}]`.padEnd(12));
  let partial = '';
  return (chunk) => {
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines)
      if (line.trim() && !NOISE.test(line)) process.stdout.write(`${label} ${formatLine(line)}\n`);
  };
}

function formatLine(line) {
  if (!line.startsWith('{')) return line;
  try {
    const {
      level,
      time,
      msg,
      service: _s,
      name: _n,
      pid: _p,
      hostname: _h,
      app: _a,
      ...rest
    } = JSON.parse(line);
    const levelName = LEVELS[level] ?? level;
    const shown =
      levelName === 'error' || levelName === 'fatal'
        ? paint(31, levelName)
        : levelName === 'warn'
          ? paint(33, levelName)
          : levelName;
    const extra = Object.keys(rest).length ? ' ' + paint(2, JSON.stringify(rest)) : '';
    const clock = typeof time === 'string' ? time.slice(11, 19) : '';
    return `${paint(2, clock)} ${shown} ${msg ?? ''}${extra}`;
  } catch {
    return line;
  }
}
