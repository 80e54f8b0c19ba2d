// A business user's path through the Camunda Tasklist on Statehouse, in Debian's headless Chromium:
// log in, start "Ask a person" from its generated start form, open the task it creates, claim it,
// answer it. Screenshots go to SCREENSHOTS (a directory). Exits non-zero with the step that failed.
//   node tasklist.mjs <base-url> <question> <answer>
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [base = 'http://127.0.0.1:8080', question = 'Browser question', answer = 'Browser answer'] = process.argv.slice(2);
const screenshots = process.env.SCREENSHOTS ?? 'screenshots';
const user = process.env.TASKLIST_USER ?? 'demo';
const password = process.env.TASKLIST_PASSWORD ?? 'demo';
mkdirSync(screenshots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.setDefaultTimeout(20000);
let step = 'open the Tasklist';
try {
  await page.goto(`${base}/camunda/app/tasklist/`);

  step = 'log in';
  await page.getByPlaceholder('Username').fill(user);
  await page.getByPlaceholder('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('Start process').first().waitFor();
  await page.screenshot({ path: `${screenshots}/1-logged-in.png` });

  step = 'start "Ask a person"';
  await page.getByText('Start process').first().click();
  await page.getByText('Ask a person').first().click();
  await page.locator('input[name="question"]').fill(question);
  await page.screenshot({ path: `${screenshots}/2-start-form.png` });
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.getByText('The process has been started', { exact: false }).first().waitFor();

  step = 'open the task from the filter "My groups"';
  await page.getByText('My groups').first().click();
  // The list is sorted newest first; the form below proves that it is this run's task.
  await page.getByText("Answer the agent's question").first().click();
  await page.getByRole('button', { name: 'Claim' }).click();
  await page.getByRole('button', { name: 'Claim' }).waitFor({ state: 'hidden' });
  await page.locator('input[name="answer"]:enabled').waitFor();
  const shown = await page.locator('input[name="question"]').inputValue();
  if (shown !== question) {
    throw new Error(`the task shows the question "${shown}", not "${question}"`);
  }
  await page.screenshot({ path: `${screenshots}/3-task.png` });

  step = 'answer the question';
  await page.locator('input[name="answer"]').fill(answer);
  await page.getByRole('button', { name: 'Complete' }).click();
  // A completed task leaves the detail pane.
  await page.locator('input[name="answer"]').waitFor({ state: 'detached' });
  await page.screenshot({ path: `${screenshots}/4-completed.png` });
  console.log(`OK: started, claimed and answered "${question}" as ${user}`);
} catch (e) {
  await page.screenshot({ path: `${screenshots}/failed.png` }).catch(() => {});
  console.error(`FAILED at step "${step}": ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
