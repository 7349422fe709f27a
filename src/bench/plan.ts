/**
 * What a bench run consists of: units of work, one per (strategy, stream). A unit is sequential inside
 * (its memory grows task by task) but independent of every other unit, so units are what shards split
 * and what --resume skips. Orders and shards are pure functions of the settings, so every machine that
 * runs a shard computes the same plan.
 */
import { usageError } from '../engine/errors';
import { deriveSeed, seededRng, shuffled } from './stats';
import type { StrategyName } from './strategies';

export interface BenchUnit {
  strategy: StrategyName;
  /** 1-based */
  stream: number;
}

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export const unitId = (u: BenchUnit): string => `${u.strategy}/stream-${u.stream}`;

/** Every unit, strategy by strategy, stream by stream (the order of an unsharded run). */
export function allUnits(strategies: readonly StrategyName[], streams: number): BenchUnit[] {
  return strategies.flatMap((strategy) => Array.from({ length: streams }, (_, i) => ({ strategy, stream: i + 1 })));
}

/** Round-robin over the units, so shards get about the same number of units and every strategy is spread out. */
export function shardUnits(units: readonly BenchUnit[], shard: Shard | null): BenchUnit[] {
  return shard ? units.filter((_, i) => i % shard.count === shard.index - 1) : [...units];
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw usageError(`--shard ${text}: expected I/N with 1 <= I <= N, for example --shard 2/8 (the second of eight parts)`);
  }
  return { index, count };
}

/**
 * The task order of a stream. Without a seed the suite's own (name) order, as a single stream always had;
 * with a seed every stream is its own seeded shuffle, and all strategies run a stream in the same order so
 * that their runs pair up.
 */
export function streamOrder(tasks: readonly string[], stream: number, seed: number | null): string[] {
  if (seed === null) return [...tasks];
  return shuffled(tasks, seededRng(deriveSeed(seed, `stream-${stream}`)));
}
