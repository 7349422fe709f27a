import type { CommandDef } from '../services';

/** reasoningBank.refreshMemory — re-reads the memory file. */
export default {
  id: 'reasoningBank.refreshMemory',
  run(s) {
    s.tree.refresh();
  },
} satisfies CommandDef;
