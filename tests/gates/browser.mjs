// Loads key pages of the built site in headless Chromium (Debian's, never a
// downloaded browser), served under a sub-path, in light and dark: no
// console error, no failed request, no serious or critical axe violation.
// Usage: node browser.mjs BASE_URL   (e.g. http://127.0.0.1:8765/sub/)
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const base = process.argv[2];
const pages = ["", "briefs/2025q2-kuaishou/", "briefs/2025q2-kuaishou-en/", "briefs/2025q2-aurora/", "companies/aurc.demo/", "companies/xhyj.demo/", "tags/%E7%94%B5%E5%95%86/", "companies/", "tags/"];

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
let failures = 0;
for (const scheme of ["light", "dark"]) {
  const context = await browser.newContext({ colorScheme: scheme });
  for (const path of pages) {
    const page = await context.newPage();
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`failed request: ${r.url()}`));
    page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.goto(base + path, { waitUntil: "load" });
    if (path === "") {
      // The search box works: type a Chinese query, get a result link.
      await page.fill("#search-input", "快手");
      await page.waitForSelector("#search-results a", { timeout: 5000 }).catch(() => problems.push("search: no result for 快手"));
    }
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    for (const v of result.violations) {
      if (v.impact === "serious" || v.impact === "critical") {
        problems.push(`axe ${v.impact}: ${v.id} (${v.nodes.length}): ${v.nodes[0].target.join(" ")}`);
      }
    }
    const status = problems.length ? "FAIL" : "ok";
    console.log(`${status} ${scheme} /${path}`);
    for (const p of problems) console.log(`    ${p}`);
    failures += problems.length;
    await page.close();
  }
  await context.close();
}
await browser.close();
console.log(`${failures === 0 ? "browser gates passed" : `${failures} browser problems`}`);
process.exit(failures === 0 ? 0 : 1);
