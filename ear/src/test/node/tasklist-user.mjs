// What every browser script does as a person in the Camunda Tasklist: open Debian's headless Chromium
// (never a downloaded browser), log in, start a process from "Start process", open a task from a
// filter, claim it, take screenshots, and report the step that failed.
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Runs `steps(user)` in a fresh browser; exits non-zero with the step that failed and a screenshot of it. */
export async function asTasklistUser(base, steps) {
  const screenshots = process.env.SCREENSHOTS ?? 'screenshots';
  mkdirSync(screenshots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20000);
  // A broken form script shows here first, long before a step times out.
  page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
  const user = new TasklistUser(page, base, screenshots);
  try {
    await steps(user);
  } catch (e) {
    await page.screenshot({ path: `${screenshots}/${user.prefix}failed.png`, fullPage: true }).catch(() => {});
    console.error(`FAILED at step "${user.step}": ${e.message}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

class TasklistUser {
  constructor(page, base, screenshots) {
    this.page = page;
    this.base = base;
    this.screenshots = screenshots;
    this.step = 'open the Tasklist';
    this.name = null;
    /** Put before every screenshot's name, so that two scripts can share one directory. */
    this.prefix = '';
  }

  /** Names the step a failure reports. */
  doing(step) {
    this.step = step;
    console.log(`- ${step}`);
  }

  /** A screenshot of the window as the person sees it. */
  async screenshot(name) {
    await this.page.screenshot({ path: `${this.screenshots}/${this.prefix}${name}.png` });
  }

  /**
   * A screenshot with the whole task form in it: the Tasklist scrolls the form inside its own pane,
   * so the window grows for the picture by what that pane hides.
   */
  async screenshotWholeTask(name) {
    const viewport = this.page.viewportSize();
    const hidden = await this.page.locator('.task-details form').first().evaluate((form) => {
      let more = 0;
      for (let node = form; node; node = node.parentElement) {
        if (/(auto|scroll)/.test(getComputedStyle(node).overflowY)) {
          more = Math.max(more, node.scrollHeight - node.clientHeight);
        }
      }
      return more;
    });
    await this.page.setViewportSize({ width: viewport.width, height: viewport.height + hidden });
    try {
      await this.screenshot(name);
    } finally {
      await this.page.setViewportSize(viewport);
    }
  }

  async logIn(user = process.env.TASKLIST_USER ?? 'demo', password = process.env.TASKLIST_PASSWORD ?? 'demo') {
    this.doing(`log in as ${user}`);
    this.name = user;
    await this.page.goto(`${this.base}/camunda/app/tasklist/`, { waitUntil: 'networkidle' });
    // The login form can still be re-rendered by the Tasklist's start-up after it shows (seen once in CI:
    // both values ended up in the user name field), so the values are checked before logging in.
    const username = this.page.getByPlaceholder('Username');
    const passwordField = this.page.getByPlaceholder('Password');
    for (let attempt = 1; ; attempt++) {
      await username.fill(user);
      await passwordField.fill(password);
      if (await username.inputValue() === user && await passwordField.inputValue() === password) {
        break;
      }
      if (attempt === 3) {
        throw new Error(`the login form did not keep the user name and password after ${attempt} attempts`);
      }
      await this.page.waitForTimeout(500);
    }
    await this.page.getByRole('button', { name: 'Log in' }).click();
    await this.startProcessLink().waitFor();
  }

  /** The header's "Start process", there once the Tasklist has loaded for a logged-in user. */
  startProcessLink() {
    return this.page.getByText('Start process').first();
  }

  /** Opens "Start process" and picks the process by name; its start form opens in the dialog. */
  async openStartForm(processName) {
    this.doing(`start "${processName}"`);
    await this.startProcessLink().click();
    await this.page.getByText(processName, { exact: true }).first().click();
  }

  /** Presses Start in the start form and waits for the Tasklist's confirmation. */
  async submitStartForm() {
    await this.page.getByRole('button', { name: 'Start', exact: true }).click();
    await this.page.getByText('The process has been started', { exact: false }).first().waitFor();
  }

  /** The task filter of that name, in the left column. */
  filter(name) {
    return this.page.locator('.task-filter h4.name a').filter({ hasText: name }).first();
  }

  /** The links of the tasks of that name that the task list shows now (the task ids are in them). */
  async tasksNamed(taskName) {
    return this.page.locator('li.task h4.task a').filter({ hasText: taskName })
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
  }

  /**
   * Opens the newest task of that name in the filter that is none of `notAmong` and for which
   * `isThisRun()` (if given) says yes once it is open. The filter is pressed again (as a person
   * presses refresh) until such a task is there: a process may create it a moment after the person
   * acted, and other runs' tasks of the same name may be in the list already. Gives the task's link.
   */
  async openTask(filter, taskName, { notAmong = [], isThisRun, within = 30000 } = {}) {
    const skipped = [...notAmong];
    const deadline = Date.now() + within;
    for (;;) {
      if (Date.now() > deadline) {
        throw new Error(`no new task "${taskName}" of this run in the filter "${filter}" after ${within / 1000} s`);
      }
      await this.filter(filter).click();
      const others = skipped.map((href) => `:not([href="${href}"])`).join('');
      const task = this.page.locator(`li.task h4.task a${others}`).filter({ hasText: taskName }).first();
      try {
        await task.waitFor({ timeout: 2000 });
      } catch (e) {
        continue;
      }
      const href = await task.getAttribute('href');
      await task.click();
      if (!isThisRun || await isThisRun()) {
        return href;
      }
      skipped.push(href);
    }
  }

  /** Claims the open task and waits until the Tasklist shows it as the user's. */
  async claim() {
    await this.page.getByRole('button', { name: 'Claim' }).click();
    await this.page.getByRole('button', { name: 'Claim' }).waitFor({ state: 'hidden' });
  }

  /** Presses Complete, and waits for the task to leave the detail pane, here `gone`. */
  async complete(gone) {
    await this.page.getByRole('button', { name: 'Complete' }).click();
    await gone.waitFor({ state: 'detached' });
  }
}
