/** Every command id the extension contributes, one handler file each (package.json `contributes.commands`). */
import type { CommandDef } from '../services';
import solve from './solve';
import scale from './scale';
import cancel from './cancel';
import applyPatch from './applyPatch';
import applyPart from './applyPart';
import reviewDiff from './reviewDiff';
import discardPatch from './discardPatch';
import nextDiffFile from './nextDiffFile';
import showRun from './showRun';
import showMemory from './showMemory';
import searchMemory from './searchMemory';
import exportMemory from './exportMemory';
import importMemory from './importMemory';
import setApiKey from './setApiKey';
import selectModel from './selectModel';
import openSettings from './openSettings';
import openMemoryItem from './openMemoryItem';
import editMemory from './editMemory';
import pinMemory from './pinMemory';
import unpinMemory from './unpinMemory';
import archiveMemory from './archiveMemory';
import restoreMemory from './restoreMemory';
import deleteMemory from './deleteMemory';
import copyMemory from './copyMemory';
import filterMemory from './filterMemory';
import clearMemoryFilter from './clearMemoryFilter';
import refreshMemory from './refreshMemory';
import addMemory from './addMemory';

export const COMMANDS: CommandDef[] = [
  solve,
  scale,
  cancel,
  applyPatch,
  applyPart,
  reviewDiff,
  discardPatch,
  nextDiffFile,
  showRun,
  showMemory,
  searchMemory,
  exportMemory,
  importMemory,
  setApiKey,
  selectModel,
  openSettings,
  openMemoryItem,
  editMemory,
  pinMemory,
  unpinMemory,
  archiveMemory,
  restoreMemory,
  deleteMemory,
  copyMemory,
  filterMemory,
  clearMemoryFilter,
  refreshMemory,
  addMemory,
];
