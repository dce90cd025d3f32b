// tests/pdfjs/structure.mjs PDF — the PDF as pdf.js (Firefox's reader) sees
// it: prints one JSON object with the document's language, its title and
// whether the window shows it, the bookmarks, every page's structure tree
// (roles in reading order, alt texts), the pages' labels and the internal
// links.  The shell test asserts on it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

// Debian's pdf.js (libjs-pdf), a CommonJS build for node; scripts/install-deps
// test installs it.
const { getDocument } = createRequire(import.meta.url)("/usr/share/nodejs/pdfjs-dist/build/pdf.js");

const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;
const meta = await doc.getMetadata();
const prefs = (await doc.getViewerPreferences()) || {};
const outline = ((await doc.getOutline()) || []).map((o) => ({ title: o.title, dest: o.dest }));
const labels = (await doc.getPageLabels()) || [];

// The roles in reading order, and each Figure's alt text.
function walk(node, roles, alts) {
  if (!node || !node.role) return;
  roles.push(node.role);
  if (node.role === "Figure") alts.push(node.alt || "");
  for (const c of node.children || []) walk(c, roles, alts);
}

const pages = [];
for (let i = 1; i <= doc.numPages; i++) {
  const page = await doc.getPage(i);
  const tree = await page.getStructTree();
  const roles = [], alts = [];
  for (const c of (tree && tree.children) || []) walk(c, roles, alts);
  const links = (await page.getAnnotations())
    .filter((a) => a.subtype === "Link" && a.dest)
    .map((a) => a.dest);
  pages.push({ roles, alts, links });
}
console.log(JSON.stringify({
  language: meta.info.Language || null,
  title: meta.info.Title || null,
  displayDocTitle: prefs.DisplayDocTitle === true,
  marked: meta.info.IsMarked === undefined ? null : meta.info.IsMarked,
  outline, labels, pages,
}));
