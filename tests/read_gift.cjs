// Read a GIFT file with gift-pegjs (npm; installed by `npm ci`, see package.json) and print what it
// parsed, as JSON, for tests/test_lms.py to compare with data/quiz.yml.
//     node tests/read_gift.cjs FILE
// A file that gift-pegjs cannot parse: one line on stderr, exit 1.
"use strict";
const fs = require("fs");
const { parse } = require("gift-pegjs");

try {
  process.stdout.write(JSON.stringify(parse(fs.readFileSync(process.argv[2], "utf8"))));
} catch (error) {
  const where = error.location ? ` (line ${error.location.start.line}, column ${error.location.start.column})` : "";
  process.stderr.write(`read_gift: ${String(error.message).split("\n")[0]}${where}\n`);
  process.exit(1);
}
