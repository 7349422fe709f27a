/**
 * Lessons reach the agent as reference data, never as instructions: outside the system prompt, after the
 * task, inside one delimited block. Lesson text comes from past runs, imports or people, so it is treated as
 * hostile: `<`, `>` and `&` are escaped, which means no lesson can close the block or open a tag of its own.
 */
import { renderPrompt } from '../prompts';

export function escapeData(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The lessons block of the first user message ('' when there are no lessons). */
export function lessonsBlock(lessons?: string): string {
  return lessons?.trim() ? renderPrompt('agent-lessons', { lessons: escapeData(lessons.trim()) }) : '';
}

/**
 * When no lesson cleared the floor but the bank has some: a lesson worded unlike the task is missed by the
 * first retrieval, and the agent's own words, once it knows the cause, may find it. No lesson text here.
 */
export function recallHint(lessonsInBank: number): string {
  return lessonsInBank > 0 ? renderPrompt('agent-recall-hint', { lessons: lessonsInBank === 1 ? '1 lesson' : `${lessonsInBank} lessons` }).trim() : '';
}

/** A recall result: the same delimiters as the first message's block. */
export function recalledBlock(text: string): string {
  return `<lessons>\n${escapeData(text.trim())}\n</lessons>`;
}
