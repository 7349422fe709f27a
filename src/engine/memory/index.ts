/** The memory bank's public surface: the solve loop, the CLI, the server and the bench import from here. */
export * from './types';
export {
  MemoryBank,
  defaultMemoryPath,
  taskHash,
  DEFAULT_RETRIEVE_K,
  DEFAULT_MAX_ITEMS,
  DEFAULT_MIN_COVERAGE,
  DEFAULT_MIN_COSINE,
  type OpenOptions,
  type RetrieveOptions,
  type AddMeta,
  type ItemPatch,
} from './bank';
export { distillLessons, lessonsSchema, LESSONS_SCHEMA_NAME, MAX_DISTILLED_ITEMS, type DistillInput } from './distill';
export { redact } from './redact';
export { SCHEMA_VERSION } from './schema';
