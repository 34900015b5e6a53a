// The search box in headless Chromium (Debian's) over a local HTTP server:
// types each query into the home page's search box, waits for results,
// checks that the expected result is among them with the query marked,
// and counts the bytes the query downloaded (every response after the
// page loaded: the manifest, the term shards, the metadata blocks).
// Then opens the home page from disk (file://) and checks that the box
// says search needs the site served, and still finds a title.
// Usage: node search.mjs BASE_URL SITE_DIR QUERY=EXPECTED_URL_PART ...
//   (e.g. http://127.0.0.1:8766/sub/ public "快手=2025q2-kuaishou")
// Prints one line per query: bytes, requests, results shown.
import { chromium } from "playwright-core";
import { resolve } from "node:path";

const [base, siteDir, ...cases] = process.argv.slice(2);
const LIMIT = Number(process.env.SEARCH_GATE_MAX_BYTES || 300 * 1024);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
let failures = 0;
// The query's words are marked in titles, summaries and excerpts (a word
// deep in a brief's text is found, but its excerpt is the brief's start).
let totalMarks = 0;
const fail = (m) => {
  console.log(`    FAIL ${m}`);
  failures++;
};

for (const c of cases) {
  const at = c.lastIndexOf("=");
  const [query, expected] = [c.slice(0, at), c.slice(at + 1)];
  // A fresh context per query: nothing cached from the one before.
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  await page.goto(base, { waitUntil: "load" });
  let bytes = 0;
  const requests = [];
  page.on("response", async (r) => {
    try {
      const body = await r.body();
      bytes += body.length;
      requests.push(`${r.url().slice(base.length)} ${body.length}`);
    } catch (e) {
      problems.push(`no body for ${r.url()}`);
    }
  });
  await page.fill("#search-input", query);
  const ok = await page
    .waitForFunction(
      (want) => [...document.querySelectorAll("#search-results a")].some((a) => a.href.includes(want)),
      expected,
      { timeout: 15000 },
    )
    .then(() => true, () => false);
  await page.waitForLoadState("networkidle");
  const shown = await page.$$eval("#search-results li a", (as) => as.length);
  const marks = await page.$$eval("#search-results mark", (ms) => ms.length);
  console.log(`${ok ? "ok" : "FAIL"} "${query}": ${bytes} bytes in ${requests.length} requests, ${shown} results shown, ${marks} marks`);
  if (process.env.SEARCH_GATE_VERBOSE) for (const r of requests) console.log(`    ${r}`);
  if (process.env.SEARCH_GATE_SHOT) {
    await page.locator(".search-filters summary").click().catch(() => {});
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: `${process.env.SEARCH_GATE_SHOT}-${cases.indexOf(c)}.png` });
  }
  if (!ok) fail(`no result linking ${expected} for "${query}"`);
  totalMarks += marks;
  if (bytes > LIMIT) fail(`"${query}" downloaded ${bytes} bytes (over ${LIMIT})`);
  for (const p of problems) fail(p);
  await context.close();
}

if (cases.length && totalMarks === 0) fail("no query's words were marked in any result");

// Opened from disk: the box says plainly what it can do, and still finds
// titles through the small index.
if (siteDir && cases.length) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("file://" + resolve(siteDir, "index.html"), { waitUntil: "load" });
  const first = cases[0].slice(0, cases[0].lastIndexOf("="));
  await page.fill("#search-input", first);
  const note = await page
    .waitForSelector("#search-results .search-note", { timeout: 10000 })
    .then((el) => el.textContent(), () => null);
  if (!note) fail("from disk: no note that search needs the site served");
  else console.log(`ok from disk: "${note}"`);
  await context.close();
}

await browser.close();
console.log(failures === 0 ? "search gate passed" : `${failures} search problems`);
process.exit(failures === 0 ? 0 : 1);
