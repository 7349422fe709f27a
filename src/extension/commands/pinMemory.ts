import type { CommandDef } from '../services';
import { updateItem } from '../memory-ref';

/** reasoningBank.pinMemory — pins a lesson (always considered first). */
export default {
  id: 'reasoningBank.pinMemory',
  run: (s, arg?: unknown) => updateItem(s, arg, { pinned: true }),
} satisfies CommandDef;
