// Copies the parts of GOV.UK Frontend the pages load at run time into static/build/.
// Only the JavaScript: the crown favicons, crest and GDS Transport fonts are GOV.UK
// branding, which a service outside GOV.UK must not use (our favicon is in static/images/).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const source = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const target = join(root, "static", "build");

mkdirSync(target, { recursive: true });
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copyFileSync(join(source, name), join(target, name));
  console.log(`copied ${name} -> static/build/${name}`);
}
