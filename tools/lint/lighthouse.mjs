// Runs Lighthouse (accessibility, best practices, SEO) on each page given
// as an argument, in one headless Chromium, prints the scores, and exits
// 1 when a page's accessibility is below 100, naming the failing audits.
//
//   node lighthouse.mjs http://127.0.0.1:PORT/map http://127.0.0.1:PORT/deal …
//
// CHROME_PATH chooses the browser (Debian's: /usr/bin/chromium).
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const urls = process.argv.slice(2);
if (urls.length === 0) {
  console.error("usage: node lighthouse.mjs URL...");
  process.exit(2);
}
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
let failed = 0;
try {
  for (const url of urls) {
    const t0 = Date.now();
    const r = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["accessibility", "best-practices", "seo"],
      // No throttling and no full-page screenshot: these categories do not
      // depend on either, and the run is shorter.
      throttlingMethod: "provided",
      disableFullPageScreenshot: true,
      skipAudits: ["bf-cache", "screenshot-thumbnails", "final-screenshot"],
    });
    const lhr = r.lhr;
    if (lhr.runtimeError) {
      console.log(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      failed++;
      continue;
    }
    const score = (k) => Math.round(lhr.categories[k].score * 100);
    const a11y = score("accessibility");
    console.log(`${url}: accessibility ${a11y}, best practices ${score("best-practices")}, SEO ${score("seo")} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    for (const k of ["accessibility", "best-practices", "seo"]) {
      for (const ref of lhr.categories[k].auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) {
          console.log(`  ${k}: ${a.id}: ${a.title}`);
          for (const it of (a.details && a.details.items ? a.details.items : []).slice(0, 5)) {
            if (it.node) console.log(`    ${it.node.snippet} ${it.node.explanation ? it.node.explanation.split("\n").join(" ") : ""}`);
          }
        }
      }
    }
    if (a11y < 100) failed++;
  }
} finally {
  await chrome.kill();
}
if (failed) {
  console.log(`${failed} of ${urls.length} pages below accessibility 100`);
  process.exit(1);
}
