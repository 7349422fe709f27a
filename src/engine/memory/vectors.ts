/** Embedding vectors: stored unit-length as little-endian Float32 blobs, so cosine similarity is a dot product. */

export function normalize(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i]! * out[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

export function toBlob(v: Float32Array): Uint8Array {
  return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}

export function fromBlob(blob: Uint8Array): Float32Array {
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

export function dot(a: Float32Array, b: Float32Array, bOffset = 0): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[bOffset + i]!;
  return s;
}

/** Term-frequency cosine of two token lists: the lexical half of near-duplicate detection. */
export function tokenCosine(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const ta = new Map<string, number>();
  const tb = new Map<string, number>();
  for (const t of a) ta.set(t, (ta.get(t) ?? 0) + 1);
  for (const t of b) tb.set(t, (tb.get(t) ?? 0) + 1);
  let d = 0;
  for (const [t, n] of ta) d += n * (tb.get(t) ?? 0);
  const na = Math.sqrt([...ta.values()].reduce((s, n) => s + n * n, 0));
  const nb = Math.sqrt([...tb.values()].reduce((s, n) => s + n * n, 0));
  return d / (na * nb);
}

/** Reciprocal rank fusion (Cormack et al.): robust to rankings whose scores live on different scales. */
export const RRF_K = 60;

export function rrf(rankings: string[][], k = RRF_K): Map<string, number> {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)));
  }
  return scores;
}
