/**
 * Memory banks from elsewhere that the user confirmed in this workspace, each remembered as the version
 * confirmed (the engine's identity: docs/SECURITY.md), so a pull that brings another version asks again.
 * Versions before this kept paths alone (`reasoningBank.trustedBanks`); those count as not confirmed.
 */
import type * as vscode from 'vscode';
import type { UntrustedMemory } from '../server/protocol';

export type TrustedBank = Pick<UntrustedMemory, 'file' | 'identity'>;

const KEY = 'reasoningBank.trustedBankVersions';
const PATHS_ONLY_KEY = 'reasoningBank.trustedBanks';

function trustedBanks(state: vscode.Memento): TrustedBank[] {
  const stored = state.get<unknown>(KEY, []);
  return Array.isArray(stored) ? stored.filter((b): b is TrustedBank => typeof b?.file === 'string' && typeof b?.identity === 'string') : [];
}

/** the identity the user confirmed for this bank, if any */
export function confirmedIdentity(state: vscode.Memento, file: string): string | undefined {
  return trustedBanks(state).find((b) => b.file === file)?.identity;
}

/** Remembers this version of the bank as confirmed; it replaces the version confirmed before. */
export async function rememberConfirmed(state: vscode.Memento, bank: TrustedBank): Promise<void> {
  await state.update(KEY, [...trustedBanks(state).filter((b) => b.file !== bank.file), { file: bank.file, identity: bank.identity }]);
  if (state.get(PATHS_ONLY_KEY) !== undefined) await state.update(PATHS_ONLY_KEY, undefined);
}
