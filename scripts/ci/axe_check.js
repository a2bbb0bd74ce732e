// axe-core in headless Chromium on each HTML file given, at a desktop and a phone
// width; prints every violation and exits 1 if there is any. Run by publish.sh.
const path = require('path');
const fs = require('fs');
const os = require('os');
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
(async () => {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'axe-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let failed = 0;
  for (const file of process.argv.slice(2)) {
    for (const width of [1280, 375]) {
      const page = await context.newPage({});
      await page.setViewportSize({ width, height: 800 });
      await page.goto('file://' + path.resolve(file));
      await page.addScriptTag({ content: axeSource });
      const r = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
      const v = r.violations;
      console.log(`${file} @${width}px: ${v.length} violations, axe ${r.testEngine.version}`);
      for (const x of v) {
        console.log(`  ${x.id} (${x.impact}): ${x.help}`);
        for (const n of x.nodes.slice(0, 3)) console.log(`    ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`);
      }
      failed += v.length;
      await page.close();
    }
  }
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
})().catch(e => { console.error(e); process.exit(2); });
