import type { CommandDef } from '../services';

/** reasoningBank.nextDiffFile — the next file of a patch reviewed one file at a time (title bar of our diffs). */
export default {
  id: 'reasoningBank.nextDiffFile',
  async run(s, arg?: unknown) {
    return (await s.review()).next(arg);
  },
} satisfies CommandDef;
