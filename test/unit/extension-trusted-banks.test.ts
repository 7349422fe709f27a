/**
 * What the extension remembers of a confirmed memory bank. The store is VS Code's workspace Memento; here
 * a Map stands in for it (the boundary), the module under test is the real one.
 */
import { strict as assert } from 'assert';
import type * as vscode from 'vscode';
import { confirmedIdentity, rememberConfirmed } from '../../src/extension/trusted-banks';

class MapMemento implements vscode.Memento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : defaultValue;
  }
  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, structuredClone(value));
    return Promise.resolve();
  }
}

describe('the banks a user confirmed in a workspace (extension)', () => {
  it('remembers each bank as the version confirmed; confirming another version replaces it', async () => {
    const state = new MapMemento();
    assert.equal(confirmedIdentity(state, '/w/.reasoningbank/memory.sqlite'), undefined);
    await rememberConfirmed(state, { file: '/w/.reasoningbank/memory.sqlite', identity: 'git:aaa' });
    await rememberConfirmed(state, { file: '/other.sqlite', identity: 'owner:65534:1:2:3' });
    assert.equal(confirmedIdentity(state, '/w/.reasoningbank/memory.sqlite'), 'git:aaa');
    await rememberConfirmed(state, { file: '/w/.reasoningbank/memory.sqlite', identity: 'git:bbb' });
    assert.equal(confirmedIdentity(state, '/w/.reasoningbank/memory.sqlite'), 'git:bbb');
    assert.equal(confirmedIdentity(state, '/other.sqlite'), 'owner:65534:1:2:3');
    assert.equal((state.get('reasoningBank.trustedBankVersions') as unknown[]).length, 2);
  });

  it('a path trusted by an older version is not a confirmation, and is dropped once a version is confirmed', async () => {
    const state = new MapMemento();
    await state.update('reasoningBank.trustedBanks', ['/w/.reasoningbank/memory.sqlite']);
    assert.equal(confirmedIdentity(state, '/w/.reasoningbank/memory.sqlite'), undefined);
    await rememberConfirmed(state, { file: '/w/.reasoningbank/memory.sqlite', identity: 'git:aaa' });
    assert.deepEqual(state.keys(), ['reasoningBank.trustedBankVersions']);
  });

  it('ignores stored entries of the wrong shape', async () => {
    const state = new MapMemento();
    await state.update('reasoningBank.trustedBankVersions', [{ file: '/a' }, '/a', null, { file: '/a', identity: 7 }]);
    assert.equal(confirmedIdentity(state, '/a'), undefined);
    await state.update('reasoningBank.trustedBankVersions', 'not a list');
    assert.equal(confirmedIdentity(state, '/a'), undefined);
    await rememberConfirmed(state, { file: '/a', identity: 'git:aaa' });
    assert.equal(confirmedIdentity(state, '/a'), 'git:aaa');
  });
});
