/** Which run and attempt a diff review (and its editor tabs) belong to: `${ticket}:${attempt}` in our diff URIs. */
export function reviewKey(ticket: string, attempt: number): string {
  return `${ticket}:${attempt}`;
}

export function parseReviewKey(key: string): { ticket: string; attempt: number } | undefined {
  const m = /^(.*):(\d+)$/.exec(key);
  return m ? { ticket: m[1]!, attempt: Number(m[2]) } : undefined;
}
