import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { orderStateQuery } from '../../workflows/definitions';
import { eventually, startStack, type Stack } from '../support/stack';
import { loadFixture, postWebhook } from '../support/webhook';

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
// Debian's package; CHROMIUM_PATH points elsewhere.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs chromium, so there a missing browser fails the test instead of skipping it.
const skip = !existsSync(CHROMIUM) && process.env.CI !== 'true' ? `no browser at ${CHROMIUM}` : false;

describe('Temporal UI', { skip }, () => {
  let stack: Stack;
  let browser: Browser;

  before(async () => {
    stack = await startStack({ ui: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('finds an order workflow by a search-attribute query', async () => {
    assert.equal(
      (await postWebhook(stack.apiUrl, loadFixture('order_shipped_us_basic_tracking.webhook.json'))).status,
      202,
    );
    await eventually(async () => {
      const state = await stack.client.workflow.getHandle('whiplash-order-8403117').query(orderStateQuery);
      assert.equal(state.syncState, 'synced');
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const orderLink = () => page.getByRole('link', { name: 'whiplash-order-8403117' }).first();
    const query = encodeURIComponent(`WhiplashOrderNumber = '#NTO1042' AND SyncState = 'synced'`);

    // Visibility and the UI's own polling lag a little, so reload until the row shows.
    await eventually(
      async () => {
        await page.goto(`${stack.server.uiUrl}/namespaces/default/workflows?query=${query}`);
        await orderLink().waitFor({ timeout: 5000 });
      },
      60_000,
      1000,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'temporal-ui-search.png') });
    assert.equal(await page.getByText('gorgias-customer-', { exact: false }).count(), 0, 'only the order matches');

    await orderLink().click();
    await page.waitForURL(/\/workflows\/whiplash-order-8403117\//, { timeout: 15_000 });
    // The workflow page links its type; waitFor throws when the page never shows it.
    await page.getByRole('link', { name: 'orderWorkflow' }).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'temporal-ui-workflow.png'), fullPage: true });
    await page.close();
  });
});

describe('Temporal UI with encrypted payloads', { skip }, () => {
  let stack: Stack;
  let browser: Browser;

  before(async () => {
    const key = { id: 'ui-test', key: randomBytes(32) };
    stack = await startStack({ ui: true, payloadCodecKeys: [key] });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('shows payloads decoded through the codec server', async () => {
    assert.equal((await postWebhook(stack.apiUrl, loadFixture('order_created_us_basic.webhook.json'))).status, 202);
    await eventually(async () => {
      const state = await stack.client.workflow.getHandle('whiplash-order-8403117').query(orderStateQuery);
      assert.equal(state.syncState, 'synced');
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

    await page.goto(`${stack.server.uiUrl}/namespaces/default/workflows/whiplash-order-8403117`);
    // The workflow input is stored encrypted; the UI shows its fields only after the codec server decoded it.
    await page.getByText('"gorgiasAccount"').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'temporal-ui-decoded.png'), fullPage: true });
  });
});
