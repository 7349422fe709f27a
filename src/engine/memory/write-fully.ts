/** Writes that either put every byte on disk or fail: shared by the memory file and its lock. */
import * as fs from 'fs';

/** fs.writeSync may write fewer bytes than asked (a full disk, a quota); a write that makes no progress is an error. */
export function writeFully(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) {
    const n = fs.writeSync(fd, data, offset, data.length - offset);
    if (n <= 0) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, wrote ${offset} of ${data.length} bytes`), { code: 'ENOSPC' });
    }
    offset += n;
  }
}
