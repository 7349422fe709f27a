/**
 * Whether a memory bank may be used without asking. Lessons steer the agent, so a bank that arrived from
 * elsewhere — tracked by git (it came with a clone) or created by another user — is used only once the
 * user confirms it (CLI: `--memory FILE` naming it, or `--trust-memory`; VS Code: a modal naming the file).
 */
import * as fs from 'fs';
import * as path from 'path';
import { gitRaw } from '../git/git';

/** null when the bank is ours to use; otherwise why it is not (completes "the memory bank FILE …") */
export async function untrustedBankReason(file: string): Promise<string | null> {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return null; // not there yet: we create it
  }
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
    return `was created by another user (uid ${st.uid})`;
  }
  const dir = path.dirname(file);
  const tracked = await gitRaw(dir, ['ls-files', '-z', '--', path.basename(file)]).catch(() => '');
  if (tracked.split('\0').some(Boolean)) return 'is tracked by git (it came with the repository)';
  return null;
}
