// Reads an .ics file on stdin with ical.js and prints, as JSON, every event's UID and
// the UTC instant ical.js gives its start: [{"uid": "...", "utc": "2019-03-10T07:30:00Z"}].
//
// Usage: node icaljs_utc.mjs FOLDER < plan.ics
// FOLDER is where `npm install ical.js` was run (it holds node_modules/ical.js).
// ical.js has no time zone database of its own: a start with a TZID is read with the
// VTIMEZONE of the same TZID in the file, which is what the test checks. A start whose
// zone is not found is reported as an error rather than read as floating time.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const folder = process.argv[2];
if (!folder) {
  process.stderr.write("usage: node icaljs_utc.mjs FOLDER < file.ics\n");
  process.exit(2);
}
const entry = createRequire(join(folder, "package.json")).resolve("ical.js");
const loaded = await import(pathToFileURL(entry).href);
const ICAL = loaded.default ?? loaded;

const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const events = [];
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const property = vevent.getFirstProperty("dtstart");
  const start = property.getFirstValue();
  const tzid = property.getParameter("tzid");
  if (tzid && (!start.zone || start.zone.tzid !== tzid)) {
    process.stderr.write(`no VTIMEZONE read for ${tzid}\n`);
    process.exit(1);
  }
  const utc = new Date(start.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
  events.push({ uid: vevent.getFirstPropertyValue("uid"), utc });
}
process.stdout.write(JSON.stringify(events) + "\n");
