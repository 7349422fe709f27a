'use strict';

/** Uploads every file at once; resolves with their URLs, one per file. */
async function uploadAll(files, upload) {
  const urls = [];
  await Promise.all(
    files.map(async (file) => {
      urls.push(await upload(file));
    }),
  );
  return urls;
}

module.exports = { uploadAll };
