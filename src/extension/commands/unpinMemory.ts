import type { CommandDef } from '../services';
import { updateItem } from '../memory-ref';

/** reasoningBank.unpinMemory — unpins a lesson. */
export default {
  id: 'reasoningBank.unpinMemory',
  run: (s, arg?: unknown) => updateItem(s, arg, { pinned: false }),
} satisfies CommandDef;
