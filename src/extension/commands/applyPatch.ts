import type { ApplyPatchResult } from '../../server/protocol';
import type { CommandDef } from '../services';
import { applyAttempt, attemptToApply } from '../apply-attempt';

/**
 * reasoningBank.applyPatch — puts the chosen (or a picked) attempt's patch into the working tree.
 * Argument `{attempt?: number}`: no questions, resolves to `{applied, files, error?}`. From a diff editor's
 * title bar: the attempt that diff shows.
 */
export default {
  id: 'reasoningBank.applyPatch',
  async run(s, arg?: unknown): Promise<ApplyPatchResult | undefined> {
    const attempt = await attemptToApply(s, arg, 'Apply patch');
    return attempt && applyAttempt(s, attempt);
  },
} satisfies CommandDef;
