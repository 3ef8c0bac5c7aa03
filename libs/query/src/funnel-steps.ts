// The rules a funnel's steps follow, shared by the engine, the API and the dashboard's editor.
// No imports, so the dashboard can import this file by path.
import type { FunnelStep } from './funnel-response';

export const FUNNEL_MIN_STEPS = 2;
export const FUNNEL_MAX_STEPS = 8;
/** Wildcard groups (`*` or `**`) allowed in one page pattern: a bound on the regex built from it. */
export const FUNNEL_MAX_WILDCARDS = 8;
export const FUNNEL_PATTERN_MAX_LENGTH = 200;
export const FUNNEL_EVENT_NAME_MAX_LENGTH = 120;

/** Why a page pattern is refused, or null when it is fine. */
export function funnelPatternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > FUNNEL_PATTERN_MAX_LENGTH)
    return `must be at most ${FUNNEL_PATTERN_MAX_LENGTH} characters`;
  if (!pattern.startsWith('/')) return 'must be a path starting with /, e.g. /pricing or /blog/**';
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(pattern)) return 'must not contain spaces or control characters';
  if (/[?#]/.test(pattern)) return 'matches the path only; query strings and #fragments are not recorded';
  if (pattern.includes('***')) return 'use * for one path segment or ** for any depth, not ***';
  const wildcards = pattern.match(/\*+/g)?.length ?? 0;
  if (wildcards > FUNNEL_MAX_WILDCARDS) return `may have at most ${FUNNEL_MAX_WILDCARDS} wildcards`;
  return null;
}

/** Why a custom event name is refused as a step, or null. */
export function funnelEventNameProblem(name: string): string | null {
  if (name.length === 0) return 'must not be empty';
  if (name.length > FUNNEL_EVENT_NAME_MAX_LENGTH)
    return `must be at most ${FUNNEL_EVENT_NAME_MAX_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain control characters';
  if (name === 'pageview') return 'use a page step for pageviews';
  return null;
}

export function funnelStepLabel(step: FunnelStep): string {
  return step.kind === 'page' ? `Visit ${step.pattern}` : step.name;
}

/** Two steps that match the same thing (a funnel lists each step once). */
export function sameFunnelStep(a: FunnelStep, b: FunnelStep): boolean {
  return a.kind === 'page' && b.kind === 'page'
    ? a.pattern === b.pattern
    : a.kind === 'event' && b.kind === 'event' && a.name === b.name;
}

/** Every problem of a list of steps as `[field, message]`, e.g. `['steps[2].pattern', 'must not be empty']`. */
export function funnelStepsProblems(steps: readonly FunnelStep[]): [string, string][] {
  const problems: [string, string][] = [];
  if (steps.length < FUNNEL_MIN_STEPS)
    problems.push(['steps', `a funnel needs at least ${FUNNEL_MIN_STEPS} steps`]);
  if (steps.length > FUNNEL_MAX_STEPS)
    problems.push(['steps', `a funnel has at most ${FUNNEL_MAX_STEPS} steps`]);
  steps.forEach((step, i) => {
    if (step.kind === 'page') {
      const problem = funnelPatternProblem(step.pattern);
      if (problem) problems.push([`steps[${i}].pattern`, problem]);
    } else if (step.kind === 'event') {
      const problem = funnelEventNameProblem(step.name);
      if (problem) problems.push([`steps[${i}].name`, problem]);
    } else {
      problems.push([`steps[${i}].kind`, 'must be page or event']);
    }
    const earlier = steps.findIndex((other) => sameFunnelStep(other, step));
    if (earlier >= 0 && earlier < i) problems.push([`steps[${i}]`, `is the same as step ${earlier + 1}`]);
  });
  return problems;
}
