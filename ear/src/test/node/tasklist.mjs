// A business user's path through the Camunda Tasklist on Statehouse, in Debian's headless Chromium:
// log in, start "Ask a person" from its generated start form, open the task it creates, claim it,
// answer it. Screenshots go to SCREENSHOTS (a directory). Exits non-zero with the step that failed.
//   node tasklist.mjs <base-url> <question> <answer>
import { asTasklistUser } from './tasklist-user.mjs';

const [base = 'http://127.0.0.1:8080', question = 'Browser question', answer = 'Browser answer'] = process.argv.slice(2);

await asTasklistUser(base, async (user) => {
  const { page } = user;
  await user.logIn();
  await user.screenshot('1-logged-in');

  await user.openStartForm('Ask a person');
  await page.locator('input[name="question"]').fill(question);
  await user.screenshot('2-start-form');
  await user.submitStartForm();

  user.doing('open the task from the filter "My groups"');
  // The list is sorted newest first; the form below proves that it is this run's task.
  await user.openTask('My groups', "Answer the agent's question");
  await user.claim();
  await page.locator('input[name="answer"]:enabled').waitFor();
  const shown = await page.locator('input[name="question"]').inputValue();
  if (shown !== question) {
    throw new Error(`the task shows the question "${shown}", not "${question}"`);
  }
  await user.screenshot('3-task');

  user.doing('answer the question');
  await page.locator('input[name="answer"]').fill(answer);
  await user.complete(page.locator('input[name="answer"]'));
  await user.screenshot('4-completed');
  console.log(`OK: started, claimed and answered "${question}" as ${user.name}`);
});
