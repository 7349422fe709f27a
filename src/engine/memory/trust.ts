/**
 * Whether a memory bank may be used without asking. Lessons steer the agent, so a bank that arrived from
 * elsewhere — tracked by git (it came with a clone) or created by another user — is used only once the
 * user confirms it (CLI: `--memory FILE` naming it, or `--trust-memory`; VS Code: a modal naming the file).
 *
 * VS Code remembers what was confirmed as the bank's identity, not its path: the version git has for it
 * (the blob ids in the index, which a pull, checkout or reset changes and our own writes to the working
 * file do not — the bank is written after every run) and, for another user's file, the owner and the
 * inode with its change time (a replaced file is a new inode; ctime cannot be set back by its owner).
 * A different identity is a different bank: asked about again.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EngineError, errorMessage } from '../errors';
import { gitRaw } from '../git/git';

export interface BankOrigin {
  /** completes "the memory bank FILE …" */
  reason: string;
  /** what the user confirms; stable across our own writes, different after a pull brings another version */
  identity: string;
}

/** null when the bank is ours to use; otherwise where it came from and its identity */
export async function bankOrigin(file: string): Promise<BankOrigin | null> {
  const paths = [file];
  const real = realPath(file);
  // a committed symlink is checked as itself and as the file it names, which may be tracked on its own
  if (real && real !== path.resolve(file)) paths.push(real);
  const found = (await Promise.all(paths.map(originOfPath))).filter((o): o is BankOrigin => o !== null);
  if (!found.length) return null;
  return { reason: found[0]!.reason, identity: found.map((o) => o.identity).join(' ') };
}

function realPath(file: string): string | null {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}

async function originOfPath(file: string): Promise<BankOrigin | null> {
  let st: fs.BigIntStats;
  try {
    st = fs.lstatSync(file, { bigint: true });
  } catch {
    return null; // not there yet: we create it
  }
  const reasons: string[] = [];
  const identity: string[] = [];
  if (typeof process.getuid === 'function' && st.uid !== BigInt(process.getuid())) {
    reasons.push(`was created by another user (uid ${st.uid})`);
    identity.push(`owner:${st.uid}:${st.dev}:${st.ino}:${st.ctimeNs}`);
  }
  let staged: string;
  try {
    staged = await indexEntries(file);
  } catch (err) {
    // git could not say (a repository another user owns, a broken index): not known to be ours
    const why = errorMessage(err).split('\n').find((l) => /fatal:|error:/.test(l)) ?? errorMessage(err);
    reasons.push(`could not be checked with git (${why.replace(/^.*?(fatal|error): /, '').trim()})`);
    identity.push('git-unreadable');
    staged = '';
  }
  if (staged) {
    reasons.push('is tracked by git (it came with the repository)');
    identity.push(`git:${staged}`);
  }
  return reasons.length ? { reason: reasons.join(' and '), identity: identity.join(' ') } : null;
}

/**
 * The blob ids git's index holds for the file (one, or stages 1–3 during a conflict), '' when untracked.
 * The index, not HEAD: `git checkout REF -- FILE` puts another version there without moving HEAD.
 */
async function indexEntries(file: string): Promise<string> {
  const out = await gitRaw(path.dirname(file), ['ls-files', '--stage', '-z', '--', `:(literal)${path.basename(file)}`]).catch((err: unknown) => {
    if (/not a git repository/i.test(errorMessage(err))) return ''; // outside any repository: git tracks nothing
    throw err;
  });
  return out
    .split('\0')
    .filter(Boolean)
    .map((entry) => {
      const [, blob, stage] = entry.split('\t')[0]!.split(' ');
      return stage === '0' ? blob : `${stage}:${blob}`;
    })
    .join(',');
}

/** The refusal of a bank from elsewhere; carries what the user would confirm, so VS Code can remember it. */
export class UntrustedBankError extends EngineError {
  constructor(
    readonly file: string,
    readonly origin: BankOrigin,
    /** a confirmed identity was given and the bank no longer has it */
    readonly changed: boolean,
  ) {
    super(
      'untrusted-memory',
      changed
        ? `the memory bank ${file} ${origin.reason}, and it changed since it was trusted (a pull or checkout brought another version, or the file was replaced); ` +
            `its lessons would steer the agent, so it is not used until you confirm this version. ` +
            `Review it in the Memory view (or \`reasoningbank memory list --memory ${file}\`) before confirming it again, or run with --no-memory.`
        : `the memory bank ${file} ${origin.reason}; its lessons would steer the agent, so it is not used until you confirm it. ` +
            `Review it (\`reasoningbank memory list --memory ${file}\`), then run again with --trust-memory or --memory ${file}, or with --no-memory.`,
    );
  }
}

/** A bank from elsewhere steers the agent only as the version the user confirmed (`confirmed`: its identity). */
export async function assertTrustedBank(file: string, confirmed?: string): Promise<void> {
  const origin = await bankOrigin(file);
  if (!origin || origin.identity === confirmed) return;
  throw new UntrustedBankError(file, origin, confirmed !== undefined);
}
