'use strict';

/** Runs jobs (async functions) one after another, in the order they were added. */
class SerialQueue {
  constructor() {
    this.tail = Promise.resolve();
  }

  /** Resolves (or rejects) with the job's own result. */
  add(job) {
    const run = this.tail.then(() => job());
    this.tail = run;
    return run;
  }
}

module.exports = { SerialQueue };
