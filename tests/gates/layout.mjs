// Layout gates on the built site in headless Chromium (Debian's), with the
// machine's real fonts, served under a sub-path:
// - text in charts: no two <text> boxes (getBoundingClientRect) of a chart
//   overlap by more than a third of a line's height both ways, in every
//   standalone chart file and in every inline chart shown at 1280 and
//   390 px wide;
// - phones: at 390 and 320 px no page is wider than the viewport, no chart
//   wider than its column, no chart text shown under 10 px;
// - key-figure cards: at 1280 and 390 px a card's figure is on one line
//   and inside its card;
// - arrows: every rise and fall shown has its ▲ or ▼ (drawn by the style
//   sheet from the `.chg` element's direction).
// Usage: node layout.mjs BASE_URL SITE_DIR
import { chromium } from "playwright-core";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const [base, site] = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}
const files = walk(site).map((p) => relative(site, p).split("\\").join("/"));
const pages = files.filter((f) => f.endsWith("index.html")).map((f) => f.slice(0, -"index.html".length));
const charts = files.filter((f) => f.endsWith(".svg") && f.includes("/") && !f.startsWith("favicon"));

// In the page: the overlaps among the texts of each shown chart (`sel`
// picks the charts; none hidden), as messages.
function overlaps(sel) {
  const out = [];
  for (const svg of document.querySelectorAll(sel)) {
    if (svg.getBoundingClientRect().width === 0) continue;
    const boxes = [...svg.querySelectorAll("text")]
      .map((t) => ({ t: t.textContent, r: t.getBoundingClientRect() }))
      .filter((b) => b.r.width > 0 && b.r.height > 0);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        const line = Math.min(a.height, b.height, a.width, b.width);
        const ox = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const oy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (ox > line / 3 && oy > line / 3) {
          const id = svg.getAttribute("aria-labelledby") || "";
          out.push(`${id.split(" ")[0]}: "${boxes[i].t}" and "${boxes[j].t}" overlap ${ox.toFixed(0)}×${oy.toFixed(0)} px`);
        }
      }
    }
  }
  return out;
}

// In the page at a phone's width: sideways scroll, charts wider than
// their column, chart text under 10 px.
function phone() {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 0.5) out.push(`page ${doc.scrollWidth} px wide in a ${window.innerWidth} px viewport`);
  for (const svg of document.querySelectorAll("svg.ts-chart")) {
    const r = svg.getBoundingClientRect();
    if (r.width === 0) continue;
    const col = svg.parentElement.getBoundingClientRect();
    const id = (svg.getAttribute("aria-labelledby") || "").split(" ")[0];
    if (r.width > col.width + 0.5 || r.right > window.innerWidth + 0.5) {
      out.push(`${id}: ${r.width.toFixed(0)} px wide in a ${col.width.toFixed(0)} px column`);
    }
    const scale = r.width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll("text")) {
      const px = parseFloat(t.getAttribute("font-size")) * scale;
      if (px < 9.95) {
        out.push(`${id}: "${t.textContent}" at ${px.toFixed(1)} px`);
        break;
      }
    }
  }
  return out;
}

// In the page: cards whose figure breaks across lines or leaves its card.
function cards() {
  const out = [];
  for (const v of document.querySelectorAll(".card-value")) {
    const range = document.createRange();
    range.selectNodeContents(v);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (tops.size > 1) out.push(`card "${v.textContent}" on ${tops.size} lines`);
    const card = v.closest(".card").getBoundingClientRect();
    const text = range.getBoundingClientRect();
    if (text.right > card.right + 0.5 || text.left < card.left - 0.5) out.push(`card "${v.textContent}" leaves its card`);
  }
  return out;
}

// In the page: rises and falls whose arrow (drawn by the style sheet
// from the `.chg` element's direction) is not shown; and how many are.
function arrows() {
  const out = [];
  let seen = 0;
  for (const [dir, mark] of [["up", "\u25B2"], ["down", "\u25BC"]]) {
    for (const i of document.querySelectorAll(`.chg.${dir} > i`)) {
      if (i.getClientRects().length === 0) continue;
      seen++;
      const content = getComputedStyle(i, "::before").content;
      if (!content.includes(mark) || i.getBoundingClientRect().width === 0) {
        out.push(`"${i.parentElement.textContent.trim()}" (${dir}) shows ${content}`);
      }
    }
  }
  return { out, seen };
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
let failures = 0;
const report = (what, problems) => {
  console.log(`${problems.length ? "FAIL" : "ok"} ${what}`);
  for (const p of problems) console.log(`    ${p}`);
  failures += problems.length;
};

// Standalone chart files, as a reader opens them.
{
  const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  for (const f of charts) {
    await page.goto(base + f, { waitUntil: "load" });
    problems.push(...(await page.evaluate(overlaps, "svg")).map((p) => `${f}: ${p}`));
  }
  report(`text overlaps in ${charts.length} chart files`, problems);
  await context.close();
}

for (const width of [1280, 390, 320]) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems = { overlap: [], phone: [], cards: [], arrows: [] };
  let shown = 0;
  let marked = 0;
  for (const path of pages) {
    await page.goto(base + path, { waitUntil: "load" });
    const at = (p) => `/${path}: ${p}`;
    shown += await page.evaluate(() => [...document.querySelectorAll("svg.ts-chart")].filter((s) => s.getBoundingClientRect().width > 0).length);
    problems.overlap.push(...(await page.evaluate(overlaps, "svg.ts-chart")).map(at));
    if (width < 1000) problems.phone.push(...(await page.evaluate(phone)).map(at));
    if (width !== 320) problems.cards.push(...(await page.evaluate(cards)).map(at));
    const a = await page.evaluate(arrows);
    problems.arrows.push(...a.out.map(at));
    marked += a.seen;
  }
  if (marked === 0) problems.arrows.push("no rise or fall shown on any page");
  report(`${width} px: text overlaps in ${shown} inline charts on ${pages.length} pages`, problems.overlap);
  if (width < 1000) report(`${width} px: pages and charts fit, chart text ≥ 10 px`, problems.phone);
  if (width !== 320) report(`${width} px: key figures on one line, inside their cards`, problems.cards);
  report(`${width} px: ${marked} rises and falls carry their arrow`, problems.arrows);
  await context.close();
}
await browser.close();
console.log(failures === 0 ? "layout gates passed" : `${failures} layout problems`);
process.exit(failures === 0 ? 0 : 1);
