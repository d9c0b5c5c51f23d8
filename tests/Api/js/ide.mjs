// Loads the IDE in a real headless Chromium (Debian's), runs `{ __typename }` with GraphiQL's
// run button and prints one JSON object with what the page showed.
// Usage: node ide.mjs <base-url> [chromium-path]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'dvk-chromium-'));
const report = { pageErrors: [], failedRequests: [] };
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', e => report.pageErrors.push(String(e)));
  // Navigating away aborts the first page's pending loads (net::ERR_ABORTED); anything else counts.
  page.on('requestfailed', r => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') report.failedRequests.push(`${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', r => { if (r.status() >= 400) report.failedRequests.push(`${r.url()} ${r.status()}`); });
  const response = await page.goto(base + '/', { waitUntil: 'load' });
  report.url = page.url();
  report.status = response?.status() ?? 0;
  report.title = await page.title();
  await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
  await page.waitForSelector('.graphiql-query-editor .view-lines', { timeout: 60_000 });
  report.defaultQuery = await page.locator('.graphiql-query-editor .view-lines').innerText();

  await page.goto(base + '/graphql?query=' + encodeURIComponent('{ __typename }'), { waitUntil: 'load' });
  await page.waitForSelector('.graphiql-query-editor .view-lines', { timeout: 60_000 });
  report.query = await page.locator('.graphiql-query-editor .view-lines').innerText();
  await page.locator('.graphiql-execute-button').click();
  const result = page.locator('.result-window .view-lines');
  await result.filter({ hasText: '__typename' }).waitFor({ timeout: 60_000 });
  report.result = await result.innerText();
  // The docs explorer lists the root types from introspection.
  await page.locator('button[aria-label="Show Documentation Explorer"]').click();
  await page.locator('.graphiql-doc-explorer').filter({ hasText: 'Query' }).waitFor({ timeout: 30_000 });
  report.docs = await page.locator('.graphiql-doc-explorer').innerText();
  await page.locator('button[aria-label="Show Thao tác mẫu"]').click();
  report.examples = await page.locator('[data-operation]').count();
} catch (e) {
  report.error = String(e);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(report));
