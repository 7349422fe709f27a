import type { CommandDef } from '../services';
import { updateItem } from '../memory-ref';

/** reasoningBank.restoreMemory — restores an archived lesson. */
export default {
  id: 'reasoningBank.restoreMemory',
  run: (s, arg?: unknown) => updateItem(s, arg, { archived: false }),
} satisfies CommandDef;
