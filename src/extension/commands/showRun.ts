import type { CommandDef } from '../services';

/** reasoningBank.showRun — reveals the run view. */
export default {
  id: 'reasoningBank.showRun',
  async run(s) {
    await s.runView.reveal(false);
  },
} satisfies CommandDef;
