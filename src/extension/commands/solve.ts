import type { CommandDef } from '../services';
import { askIssue, checkEndpoint, isSolveArg, parseSolveArgs, runSolve } from '../run-solve';
import { currentFolder } from '../workspace-folder';
import { readSettings } from '../settings';
import { assertTrusted } from '../trust';

/** reasoningBank.solve — one attempt with retrieved lessons. From a Markdown editor's title bar: its text is the issue. */
export default {
  id: 'reasoningBank.solve',
  async run(s, arg?: unknown) {
    if (isSolveArg(arg)) return runSolve(s, await parseSolveArgs(arg), false);
    assertTrusted('Solve with memory');
    if (await checkEndpoint(s, readSettings(currentFolder()?.uri), true)) return undefined;
    const issue = await askIssue(arg);
    if (!issue) return undefined;
    return runSolve(s, { issue }, true);
  },
} satisfies CommandDef;
