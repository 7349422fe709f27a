'use strict';

/** A tiny async key-value store, standing in for the database client. */
class Store {
  constructor() {
    this.rows = new Map();
  }

  async put(key, value) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.rows.set(key, value);
  }

  async get(key) {
    return this.rows.get(key);
  }

  async count() {
    return this.rows.size;
  }
}

module.exports = { Store };
