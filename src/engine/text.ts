/** Keeps the head and the tail of a long text: errors show up at the end of logs, context at the start. */
export function truncateMiddle(text: string, maxChars: number, headShare = 0.4): string {
  if (text.length <= maxChars) return text;
  const head = Math.floor(maxChars * headShare);
  const tail = maxChars - head;
  const omitted = text.length - head - tail;
  return `${text.slice(0, head)}\n[… ${omitted} characters omitted …]\n${text.slice(text.length - tail)}`;
}

/** A short stable hash for task texts (dedup, leave-one-out). FNV-1a is enough: not a security hash. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
