import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every image installs dependencies from package-lock.json with only the workspace manifests copied
// (the `manifests` stage), so the install layer is cached until a manifest changes. npm drops a
// workspace whose package.json is missing there: it rewrites the lock file without that workspace's
// dependencies and installs something other than what is locked (a missing dashboard/package.json
// leaves Next.js out). So each Dockerfile's list must match the root package.json's "workspaces".

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP_DIRS = new Set(['node_modules', '.git', '.data', '.nx', 'dist', 'coverage', 'test-results']);

/** Workspace directories (relative, posix) from the root package.json's globs (`dir` or `dir/*`). */
function workspaceDirs(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  const dirs: string[] = [];
  for (const pattern of manifest.workspaces) {
    if (pattern.endsWith('/*')) {
      const parent = pattern.slice(0, -2);
      for (const entry of readdirSync(join(ROOT, parent), { withFileTypes: true })) {
        if (entry.isDirectory() && existsSync(join(ROOT, parent, entry.name, 'package.json'))) {
          dirs.push(`${parent}/${entry.name}`);
        }
      }
    } else if (!/[*?[{]/.test(pattern)) {
      dirs.push(pattern);
    } else {
      throw new Error(`workspace glob ${pattern} is not understood by this test; extend workspaceDirs()`);
    }
  }
  return dirs.sort();
}

/** Every Dockerfile of the repository (`Dockerfile`, `*.Dockerfile`), build output and deps left out. */
function findDockerfiles(dir = ROOT): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.next')) {
        found.push(...findDockerfiles(join(dir, entry.name)));
      }
    } else if (entry.name === 'Dockerfile' || entry.name.endsWith('.Dockerfile')) {
      found.push(relative(ROOT, join(dir, entry.name)).split('\\').join('/'));
    }
  }
  return found.sort();
}

interface Stage {
  name: string | undefined;
  instructions: { keyword: string; args: string }[];
}

/** Stages of a Dockerfile: comments dropped, `\` continuations joined, instructions upper-cased. */
function parseDockerfile(text: string): Stage[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(`${pending}${line}`.trim());
    pending = '';
  }
  if (pending) lines.push(pending.trim());

  const stages: Stage[] = [];
  for (const line of lines.filter(Boolean)) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      stages.push({ name: /\sAS\s+(\S+)$/i.exec(line)?.[1], instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** Sources of the build-context COPY instructions of a stage (`COPY --from=…` left out). */
function copiedSources(stage: Stage): string[] {
  const sources: string[] = [];
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'COPY' && keyword !== 'ADD') continue;
    const parts = args.split(/\s+/).filter((p) => !p.startsWith('--'));
    if (args.split(/\s+/).some((p) => p.startsWith('--from='))) continue;
    sources.push(...parts.slice(0, -1).map((p) => posix.normalize(p)));
  }
  return sources;
}

const workspaces = workspaceDirs();
const dockerfiles = findDockerfiles();

describe('Dockerfiles', () => {
  it('are found for every deployable app, and the workspaces are read', () => {
    expect(dockerfiles).toEqual(
      expect.arrayContaining(['api/Dockerfile', 'dashboard/Dockerfile', 'ingest/Dockerfile']),
    );
    expect(workspaces).toEqual(
      expect.arrayContaining(['api', 'dashboard', 'ingest', 'libs/config', 'tracker']),
    );
  });

  it.each(dockerfiles)(
    '%s: the manifests stage copies the lock file and every workspace package.json, nothing stale',
    (file) => {
      const stages = parseDockerfile(readFileSync(join(ROOT, file), 'utf8'));
      const manifests = stages.find((s) => s.name === 'manifests');
      expect(manifests, `${file} has a stage "FROM … AS manifests"`).toBeDefined();
      const copied = copiedSources(manifests as Stage);

      const expected = ['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)];
      const missing = expected.filter((path) => !copied.includes(path));
      expect(missing, `${file}: workspace manifests missing from the manifests stage`).toEqual([]);

      // Only manifests, and only of workspaces that still exist (a removed workspace's line fails the
      // build with "not found"; anything else would invalidate the cached install on every change).
      const unexpected = copied.filter((path) => !expected.includes(path));
      expect(unexpected, `${file}: copied in the manifests stage but not a workspace manifest`).toEqual([]);
    },
  );

  it('the parser sees a missing workspace (guards the test itself)', () => {
    const text = [
      'FROM node AS manifests',
      'COPY package.json package-lock.json ./',
      '# COPY api/package.json api/',
      'COPY libs/config/package.json \\',
      '  libs/config/',
      'FROM manifests AS build',
      'COPY --from=manifests /app/api/package.json api/',
    ].join('\n');
    const stages = parseDockerfile(text);
    expect(stages.map((s) => s.name)).toEqual(['manifests', 'build']);
    expect(copiedSources(stages[0] as Stage)).toEqual([
      'package.json',
      'package-lock.json',
      'libs/config/package.json',
    ]);
    expect(copiedSources(stages[1] as Stage)).toEqual([]);
  });
});
