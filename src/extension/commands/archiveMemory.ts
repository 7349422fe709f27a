import type { CommandDef } from '../services';
import { updateItem } from '../memory-ref';

/** reasoningBank.archiveMemory — archives a lesson (kept, never retrieved). */
export default {
  id: 'reasoningBank.archiveMemory',
  run: (s, arg?: unknown) => updateItem(s, arg, { archived: true }),
} satisfies CommandDef;
