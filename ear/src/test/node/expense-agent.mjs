// The demo agent run as a business user does it in the Camunda Tasklist, in Debian's headless Chromium:
// start "Expense agent (demo)", answer the demo MCP server's form (first wrongly, then rightly), write
// the model's reply to its sampling request. Screenshots go to SCREENSHOTS as expense-*.png. Exits
// non-zero with the step that failed; what the run did with the answers is for the caller to check.
//   node expense-agent.mjs <base-url> <note> <expense as JSON> <reply>
// The expense (every key optional): {"amount": "42.50", "currency": "CHF", "category": "travel",
//   "date": "2026-11-24", "description": "Taxi to the client", "billable": true,
//   "tags": ["client-visit"], "contact": "ayu@example.org"}
import { asTasklistUser } from './tasklist-user.mjs';

const [base = 'http://127.0.0.1:8080', note = `Taxi to the client ${Date.now()}`, expenseJson = '{}',
  reply = 'Travel dominates this month.'] = process.argv.slice(2);
const expense = {
  amount: '42.50', currency: 'CHF', category: 'travel', date: new Date().toISOString().slice(0, 10),
  description: 'Taxi to the client', billable: true, tags: ['client-visit'], contact: 'ayu@example.org',
  ...JSON.parse(expenseJson),
};
const TASK_ELICITATION = 'Answer the MCP server';
const TASK_SAMPLING = "Write the model's reply";

function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

await asTasklistUser(base, async (user) => {
  const { page } = user;
  user.prefix = 'expense-';
  await user.logIn();

  await user.openStartForm('Expense agent (demo)');
  await page.locator('input[name="note"]').fill(note);
  await user.screenshot('1-start-form');
  await user.submitStartForm();

  user.doing(`find this run's "${TASK_ELICITATION}" in "My groups" and claim it`);
  const form = page.locator('.task-details form.statehouse-mcp-elicitation');
  const message = form.locator('[data-mcp="message"]');
  // The server's message carries the note from the start form: that is how a person tells this
  // run's question from another's.
  await user.openTask('My groups', TASK_ELICITATION, {
    isThisRun: async () => {
      await message.filter({ hasText: /\S/ }).waitFor();
      return (await message.textContent()).includes(note);
    },
  });
  await user.claim();
  const field = (label) => form.getByLabel(label);
  // The message under one field, where a person looks for it: in that field's group.
  const errorOf = (label) => form.locator('.form-group.has-error').filter({ has: page.getByLabel(label) }).getByRole('alert');
  await field('Amount').waitFor();

  user.doing('read who asks, the message and the fields');
  const server = await form.locator('[data-mcp="server"]').textContent();
  expect(server === 'demo', `the form says the server "${server}" asks, not "demo"`);
  expect((await message.textContent()).startsWith('Please enter the details of the expense'),
    `the server's message is "${await message.textContent()}"`);
  for (const label of ['Amount', 'Currency', 'Category', 'Date', 'Description', 'Billable to a client', 'Contact email']) {
    await field(label).waitFor();
  }
  const tags = form.getByRole('group', { name: 'Tags' });
  expect(await tags.getByRole('checkbox').count() === 5, 'the form does not offer the five tags');
  expect(await field('Currency').inputValue() === 'EUR', "the currency is not the server's default, EUR");
  await user.screenshotWholeTask('2-elicitation');

  user.doing('send an answer that does not fit: amount 0 and no email address');
  await field('Amount').fill('0');
  await field('Category').selectOption(expense.category);
  await field('Date').fill(expense.date);
  await field('Contact email').fill('ayu at example.org');
  await page.getByRole('button', { name: 'Complete' }).click();
  const amountText = await errorOf('Amount').textContent();
  expect(amountText === 'Amount must be at least 0.01', `the amount's message is "${amountText}"`);
  const contactText = await errorOf('Contact email').textContent();
  expect(contactText === 'Contact email must be an email address', `the contact's message is "${contactText}"`);
  await form.locator('[data-mcp="summary"]').getByText('2 fields need your attention').waitFor();
  await user.screenshotWholeTask('3-elicitation-invalid');
  expect(await field('Amount').isEditable(), 'the task left the form after an answer that does not fit');

  user.doing('send the expense');
  await field('Amount').fill(expense.amount);
  await field('Currency').selectOption(expense.currency);
  await field('Description').fill(expense.description);
  await field('Billable to a client').setChecked(expense.billable);
  for (const tag of expense.tags) {
    await tags.getByRole('checkbox', { name: tag }).check();
  }
  await field('Contact email').fill(expense.contact);
  expect(await form.locator('.has-error').count() === 0, 'a field still shows an error after the corrections');
  await user.screenshotWholeTask('4-elicitation-valid');
  const earlierReplies = await user.tasksNamed(TASK_SAMPLING);
  await user.complete(form);

  user.doing(`find the new "${TASK_SAMPLING}" in "My groups" and claim it`);
  const replyTask = await user.openTask('My groups', TASK_SAMPLING, { notAmong: earlierReplies });
  await user.claim();
  const sampling = page.locator('.task-details form.statehouse-mcp-sampling');
  const replyBox = sampling.getByLabel('Your reply, as the assistant');
  await replyBox.waitFor();

  user.doing('read the conversation');
  expect(await sampling.locator('[data-mcp="server"]').textContent() === 'demo', 'the sampling form does not name the server demo');
  await sampling.locator('.panel-heading', { hasText: 'Instructions for the model' }).waitFor();
  const prompt = await sampling.locator('[data-mcp="conversation"] .panel').filter({ hasText: 'User' }).textContent();
  expect(prompt.includes('Spending of a small consulting team'), `the conversation shows "${prompt}"`);
  expect(prompt.includes(`${expense.category} (${expense.currency})`),
    `the totals in the conversation have no line for ${expense.category} in ${expense.currency}`);
  await sampling.getByText('Details of the request').click();
  await sampling.getByText('400 tokens').waitFor();

  user.doing('complete without a reply, then write it');
  await page.getByRole('button', { name: 'Complete' }).click();
  await sampling.getByRole('alert').getByText('Write the reply, or choose to refuse.').waitFor();
  await replyBox.fill(reply);
  await sampling.locator('[data-mcp="reply-count"]').getByText(`${Array.from(reply).length} characters`).waitFor();
  await user.screenshotWholeTask('5-sampling');
  await user.complete(sampling);

  user.doing(`see "${TASK_SAMPLING}" gone from "My groups"`);
  await user.filter('My groups').click();
  await page.locator(`li.task h4.task a[href="${replyTask}"]`).waitFor({ state: 'detached' });
  await user.screenshot('6-done');
  console.log(`OK: started the expense agent with "${note}", answered its form and wrote the model's reply as ${user.name}`);
});
