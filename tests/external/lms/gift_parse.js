// Parses a GIFT file with gift-pegjs and prints what it read as JSON, for check_gift.py.
// gift-pegjs leaves escaped characters in the right-hand side of matching pairs encoded
// (`&&061;` for `\=`); they are decoded here, the way its own decoder does for other text.
"use strict";
const fs = require("fs");
const path = require("path");
const gift = require(path.join(__dirname, "..", "node_modules", "gift-pegjs"));

const file = process.argv[2];
const decode = (s) =>
  s.replace(/&&092;/g, "\\").replace(/&&058;/g, ":").replace(/&&035;/g, "#")
   .replace(/&&061;/g, "=").replace(/&&123;/g, "{").replace(/&&125;/g, "}")
   .replace(/&&126;/g, "~").replace(/&&010/g, "\n");

let questions;
try {
  questions = gift.parse(fs.readFileSync(file, "utf8"));
} catch (err) {
  const at = err.location ? ` at line ${err.location.start.line}, column ${err.location.start.column}` : "";
  console.error(`gift-pegjs cannot parse ${file}${at}: ${err.message}`);
  process.exit(1);
}
for (const q of questions) {
  for (const pair of q.matchPairs || []) pair.subanswer = decode(pair.subanswer);
}
process.stdout.write(JSON.stringify(questions, null, 1));
