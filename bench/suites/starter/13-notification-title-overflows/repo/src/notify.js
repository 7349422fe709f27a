'use strict';
const { truncate } = require('./truncate');

const TITLE_LIMIT = 40;
const BODY_LIMIT = 120;

function buildNotification(event) {
  return {
    title: truncate(event.title, TITLE_LIMIT),
    body: truncate(event.body, BODY_LIMIT),
  };
}

module.exports = { buildNotification, TITLE_LIMIT, BODY_LIMIT };
