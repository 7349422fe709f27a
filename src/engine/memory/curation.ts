/**
 * The bank's evidence rules: an item the run used (shown in full, recalled, or cited) is credited with the
 * run's outcome, one that was only listed in the agent's index counts as shown; an item that keeps losing
 * is archived so a harmful lesson stops being retrieved; a size cap archives the least useful first.
 * Pinned items are never archived by these rules, and nothing is deleted.
 */
import type { Database } from 'sql.js';

/** archive an item that keeps losing: losses ≥ 3 and losses ≥ 3 × wins */
export const ARCHIVE_MIN_LOSSES = 3;
export const ARCHIVE_LOSS_RATIO = 3;

export function creditRun(db: Database, used: string[], shown: string[], status: 'resolved' | 'unresolved' | 'error'): void {
  for (const id of new Set(shown)) db.run('UPDATE items SET shown = shown + 1 WHERE id = ?', [id]);
  const win = status === 'resolved' ? 1 : 0;
  const loss = status === 'unresolved' ? 1 : 0;
  for (const id of new Set(used)) {
    db.run('UPDATE items SET uses = uses + 1, wins = wins + ?, losses = losses + ? WHERE id = ?', [win, loss, id]);
    db.run(`UPDATE items SET archived = 1 WHERE id = ? AND pinned = 0 AND archived = 0 AND losses >= ? AND losses >= ? * wins`, [
      id,
      ARCHIVE_MIN_LOSSES,
      ARCHIVE_LOSS_RATIO,
    ]);
  }
}

/**
 * How evidence moves an item in the ranking: its fused score times 0.8..1.2 by its smoothed win rate over the
 * runs that used it (1.0 with no evidence), so a proven lesson wins a close call and a losing one drops back.
 */
export function evidenceWeight(item: { wins: number; losses: number }): number {
  return 0.8 + 0.4 * ((item.wins + 1) / (item.wins + item.losses + 2));
}

/** Size cap: archive the least useful active items (lowest smoothed win rate, then oldest); never `keep`. */
export function enforceCap(db: Database, maxItems: number, keep?: string): void {
  if (!Number.isFinite(maxItems)) return;
  const active = Number(db.exec('SELECT count(*) FROM items WHERE archived = 0')[0]!.values[0]![0]);
  const excess = active - Math.max(0, maxItems);
  if (excess <= 0) return;
  db.run(
    `UPDATE items SET archived = 1 WHERE seq IN (
       SELECT seq FROM items WHERE archived = 0 AND pinned = 0 AND id <> ?
       ORDER BY (wins + 1.0) / (wins + losses + 2) ASC, updated_at ASC, seq ASC LIMIT ?)`,
    [keep ?? '', excess],
  );
}
