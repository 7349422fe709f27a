import type { CommandDef } from '../services';

/** reasoningBank.clearMemoryFilter — shows the whole bank again. */
export default {
  id: 'reasoningBank.clearMemoryFilter',
  run(s) {
    s.tree.setFilter(undefined);
  },
} satisfies CommandDef;
