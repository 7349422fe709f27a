/**
 * A compact text of what the agent did, for the prompts that reason about an attempt (judge,
 * distillation, best-of-k, contrast): each step's thought, its tool calls and their (cut) results.
 */
import { truncateMiddle } from '../text';
import type { AgentOutcome, TrajectoryStep } from './types';

// tried in order until the text fits: long trajectories get terser steps before steps are dropped
const DETAIL_LEVELS = [
  { thought: 600, args: 400, output: 600 },
  { thought: 300, args: 200, output: 300 },
  { thought: 160, args: 120, output: 120 },
  { thought: 80, args: 80, output: 60 },
];

export function summarizeTrajectory(source: AgentOutcome | TrajectoryStep[], maxChars = 12_000): string {
  const steps = Array.isArray(source) ? source : source.trajectory;
  const ending = Array.isArray(source) ? '' : describeEnding(source);
  let text = '';
  for (const level of DETAIL_LEVELS) {
    text = [...steps.map((s) => renderStep(s, level)), ending].filter(Boolean).join('\n');
    if (text.length <= maxChars) return text;
  }
  // still too long: keep the beginning (how it explored) and the end (what it concluded)
  // (leaving room for truncateMiddle's own marker line)
  return truncateMiddle(text, Math.max(0, maxChars - 40), 0.35);
}

function renderStep(step: TrajectoryStep, level: (typeof DETAIL_LEVELS)[number]): string {
  const lines = [`Step ${step.step}:`];
  if (step.thought?.trim()) lines.push(`  thought: ${cut(step.thought, level.thought)}`);
  for (const a of step.actions) {
    lines.push(`  ${a.name}(${cut(a.args, level.args)})`);
    lines.push(`  ${a.isError ? '=> ERROR ' : '=> '}${cut(a.output, level.output)}`);
  }
  if (!step.actions.length) lines.push('  (no tool call)');
  return lines.join('\n');
}

function describeEnding(outcome: AgentOutcome): string {
  const why: Record<AgentOutcome['reason'], string> = {
    finish: 'finished',
    'no-tool-call': 'stopped (a reply without tool calls)',
    'max-steps': 'stopped at the step limit',
    cancelled: 'cancelled',
    error: `failed: ${outcome.error ?? 'unknown error'}`,
  };
  const summary = outcome.summary.trim() ? `: ${cut(outcome.summary, 1000)}` : '';
  return `Outcome after ${outcome.steps} steps: ${why[outcome.reason]}${summary}`;
}

/** one line, at most `max` characters, head and tail kept */
function cut(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  if (flat.length <= max) return flat;
  const head = Math.ceil(max * 0.6);
  return `${flat.slice(0, head)} … ${flat.slice(flat.length - (max - head))}`;
}
