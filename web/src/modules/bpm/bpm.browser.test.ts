// The BPM pages walked as their users would: the employee's task inbox, the admin's process
// models and modeler, the instance monitor. Screenshots go to docs/screenshots/bpm-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
import core from '../../i18n/en.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };
import ruTexts from './i18n/ru.json' with { type: 'json' };
import uzTexts from './i18n/uz.json' with { type: 'json' };

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;

let harness: Harness;

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

const WAIT = { timeout: 20_000 };
const FIXTURES = join(process.cwd(), 'web', 'src', 'modules', 'bpm', 'fixtures');
const SCREENSHOTS = join(process.cwd(), 'docs', 'screenshots');
const BPMN = readFileSync(join(FIXTURES, 'supply-request.bpmn'));
const FORM = readFileSync(join(FIXTURES, 'supply-request-form.form'));

async function signIn(
  page: Page,
  email = harness.adminEmail,
  password = harness.adminPassword,
): Promise<void> {
  await page.goto(`${harness.baseUrl}/`);
  await page.getByTestId('sign-in-form').waitFor();
  await page.selectOption('[data-testid=language-select]', 'en');
  await page.getByLabel(core['fields.email'], { exact: true }).fill(email);
  await page.getByLabel(core['fields.password'], { exact: true }).fill(password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('sign-out').waitFor();
  if ((await page.inputValue('[data-testid=language-select]')) !== 'en') {
    await page.selectOption('[data-testid=language-select]', 'en');
  }
  await page.locator('html[lang=en]').waitFor({ state: 'attached' });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `bpm-${name}.png`), fullPage: true });
}

/** Whether anything sticks out sideways: the page should never scroll horizontally. */
async function overflowsSideways(page: Page): Promise<boolean> {
  const wider = await page.evaluate(
    'document.documentElement.scrollWidth > document.documentElement.clientWidth + 1',
  );
  return wider === true;
}

/** Deploys the test process with its form, as the modeler does (multipart). */
async function deployFixture(page: Page): Promise<void> {
  const answer = await page.request.post(`${harness.baseUrl}/api/bpm/deployments`, {
    multipart: {
      bpmn: { name: 'supply-request.bpmn', mimeType: 'application/xml', buffer: BPMN },
      form: { name: 'supply-request-form.form', mimeType: 'application/json', buffer: FORM },
    },
  });
  expect(answer.status(), await answer.text()).toBe(201);
}

async function startFixture(page: Page, businessKey: string): Promise<string> {
  const answer = await page.request.post(`${harness.baseUrl}/api/bpm/instances`, {
    data: { processId: 'supply_request', businessKey, variables: { item: 'Paper A4', quantity: 5 } },
  });
  expect(answer.status(), await answer.text()).toBe(201);
  return ((await answer.json()) as { id: string }).id;
}

/** Drags with the mouse in small steps, as dragula (form-js's editor) needs to see it. */
async function dragOnto(page: Page, source: Locator, target: Locator): Promise<void> {
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('nothing to drag, or nowhere to drop');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + 30, { steps: 12 });
  await page.mouse.move(to.x + to.width / 2, to.y + 40, { steps: 4 });
  await page.mouse.up();
}

function row(page: Page, grid: string, text: string) {
  return page.locator(`[data-testid=${grid}] .ag-row:visible`, { hasText: text }).first();
}

describe('the task inbox', () => {
  it('walks a chain of steps as one guided flow, with claim and the count in the navigation', async () => {
    const page = await harness.newPage();
    await signIn(page);

    // Nothing to do yet: the inbox says what will appear there.
    await page.getByTestId('nav-/bpm/tasks').click();
    await page.getByTestId('empty-state').waitFor();
    expect(await page.getByTestId('empty-state').textContent()).toContain(en['bpm.tasks.emptyTitle']);
    await shot(page, 'inbox-empty');

    await deployFixture(page);
    await startFixture(page, 'REQ-1');

    // The count comes without reloading: the poller reads it when the tab comes back into view.
    await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
    await expect.poll(() => page.getByTestId('nav-badge-/bpm/tasks').textContent(), WAIT).toBe('1');
    // The list follows the count: the new task is there without reloading the page.
    const first = row(page, 'tasks-grid', 'Describe the request');
    await first.waitFor();
    expect(await first.getByTestId('task-overdue').count()).toBe(1);
    expect(await first.textContent()).toContain('Supply request');
    await shot(page, 'inbox');

    // The form is filled with what the process carries; a required field left empty is refused at it.
    await first.click();
    await page.locator('[data-testid=task-form][data-ready]').waitFor();
    // form-js's own "Search" in a searchable select speaks the reader's language.
    const search = page.locator('[data-testid=task-form] .fjs-form-field-select input');
    expect(await search.getAttribute('placeholder')).toBe('Search');
    await page.selectOption('[data-testid=language-select]', 'ru');
    await expect.poll(() => search.getAttribute('placeholder'), WAIT).toBe('Поиск');
    await page.selectOption('[data-testid=language-select]', 'en');
    await page.locator('html[lang=en]').waitFor({ state: 'attached' });
    await expect.poll(() => search.getAttribute('placeholder'), WAIT).toBe('Search');
    const item = page.getByLabel('What is needed');
    expect(await item.inputValue()).toBe('Paper A4');
    expect(await page.getByTestId('task-about').textContent()).toContain('Supply request');
    expect(await page.getByTestId('task-about').textContent()).toContain('REQ-1');
    await item.fill('');
    await page.getByTestId('task-complete').click();
    await page.getByText(en['bpm.form.required']).first().waitFor();
    await shot(page, 'task-form-error');

    // Completing opens the next step of the same process at once.
    await item.fill('Printer toner');
    await page.getByTestId('task-complete').click();
    await page.getByRole('heading', { name: 'Check and send' }).waitFor();
    expect(await page.getByTestId('task-variables').textContent()).toContain('Printer toner');
    expect(await page.getByTestId('task-no-form').count()).toBe(1);
    await shot(page, 'task-next-step');
    await page.getByTestId('task-complete').click();

    // The group's step: read-only until taken; given back, it is offered again.
    await page.getByRole('heading', { name: 'Approve the supply' }).waitFor();
    await page.getByTestId('task-offered').waitFor();
    expect(await page.getByTestId('task-complete').isDisabled()).toBe(true);
    await shot(page, 'task-offered');
    await page.getByTestId('task-claim').click();
    await page.getByTestId('task-unclaim').waitFor();
    await page.getByTestId('task-unclaim').click();
    await page.getByTestId('task-claim').click();
    await page.getByTestId('task-unclaim').waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    await page.getByTestId('task-complete').click();

    // The last step done: back to the list, which is empty again, and so is the count.
    await page.getByTestId('tasks-grid').waitFor();
    await page.getByText(en['bpm.task.completed'].replace('{name}', 'Approve the supply')).waitFor();
    await page.getByTestId('empty-state').waitFor();
    await expect.poll(() => page.getByTestId('nav-badge-/bpm/tasks').count(), WAIT).toBe(0);
    await page.close();
  });

  it('shows an employee their group’s task, and no modeler', async () => {
    const admin = await harness.newPage();
    await signIn(admin);
    const email = 'dilnoza@example.uz';
    const password = 'xodim-parol-123';
    const user = await admin.request.post(`${harness.baseUrl}/api/admin/users`, {
      data: { email, name: 'Dilnoza Karimova', password, roles: ['employee'] },
    });
    expect(user.status(), await user.text()).toBe(201);
    const model = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs_ack" targetNamespace="http://onebox.uz/bpmn">
  <bpmn:process id="policy_ack" name="Policy acknowledgement" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:userTask id="read_policy" name="Read the new policy">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="employee" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="e" />
    <bpmn:sequenceFlow id="a1" sourceRef="s" targetRef="read_policy" />
    <bpmn:sequenceFlow id="a2" sourceRef="read_policy" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;
    const deployed = await admin.request.post(`${harness.baseUrl}/api/bpm/deployments`, {
      headers: { 'Content-Type': 'application/xml' },
      data: model,
    });
    expect(deployed.status(), await deployed.text()).toBe(201);
    const started = await admin.request.post(`${harness.baseUrl}/api/bpm/instances`, {
      data: { processId: 'policy_ack' },
    });
    expect(started.status(), await started.text()).toBe(201);
    await admin.close();

    const page = await harness.newPage();
    await signIn(page, email, password);
    await expect.poll(() => page.getByTestId('nav-badge-/bpm/tasks').textContent(), WAIT).toBe('1');
    expect(await page.getByTestId('nav-/bpm/processes').count()).toBe(0);
    await page.getByTestId('nav-/bpm/tasks').click();
    await row(page, 'tasks-grid', 'Read the new policy').click();
    await page.getByTestId('task-claim').click();
    await page.getByTestId('task-unclaim').waitFor();
    await page.getByTestId('task-complete').click();
    await page.getByText(en['bpm.task.completed'].replace('{name}', 'Read the new policy')).waitFor();
    await page.getByTestId('empty-state').waitFor();

    // The process they had a task in is theirs to look at, not to cancel.
    await page.getByTestId('nav-/bpm/instances').click();
    await page.waitForURL('**/bpm/instances', WAIT);
    // Polled on the rows' texts, so that a miss says what the list held instead.
    await expect
      .poll(() => page.locator('[data-testid=instances-grid] .ag-row').allTextContents(), WAIT)
      .toContainEqual(expect.stringContaining('Policy acknowledgement'));
    await row(page, 'instances-grid', 'Policy acknowledgement').click();
    await page.getByTestId('instance-history').waitFor();
    // Names come from the model (this one has no drawing), read after the instance itself.
    await expect
      .poll(() => page.getByTestId('instance-history').textContent(), WAIT)
      .toContain('Read the new policy');
    await page.getByTestId('diagram-missing').waitFor();
    expect(await page.getByTestId('instance-cancel').count()).toBe(0);
    await page.close();
  });

  it('fits a phone screen', async () => {
    const page = await harness.newPage({ width: 390, height: 844 });
    await signIn(page);
    await startFixture(page, 'REQ-2');
    await page.goto(`${harness.baseUrl}/bpm/tasks`);
    await row(page, 'tasks-grid', 'Describe the request').click();
    await page.locator('[data-testid=task-form][data-ready]').waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    await shot(page, 'task-phone');

    // In Uzbek the page and form-js's own messages follow.
    await page.selectOption('[data-testid=language-select]', 'uz');
    await page.locator('html[lang=uz]').waitFor({ state: 'attached' });
    await page.locator('[data-testid=task-form][data-ready]').waitFor();
    await page.getByLabel('What is needed').fill('');
    await page.getByTestId('task-complete').click();
    await page.getByText(uzTexts['bpm.form.required']).first().waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    await shot(page, 'task-phone-uz');
    await page.close();
  });
});

describe('the process models', () => {
  it('starts a process from the template, deploys it, and shows a refused model’s problems on its elements', async () => {
    const page = await harness.newPage({ width: 1440, height: 900 });
    await signIn(page);
    await page.getByTestId('nav-/bpm/processes').click();
    await page.getByTestId('processes-grid').waitFor();

    // A new process opens on the template: a start, one user task, an end.
    await page.getByTestId('process-new').click();
    await page.locator('[data-testid=modeler][data-ready]').waitFor(WAIT);
    expect(await page.locator('[data-testid=modeler-canvas] [data-element-id=Task_first]').count()).toBe(1);

    // A user task gets its form from the form editor.
    await page.locator('[data-testid=modeler-canvas] [data-element-id=Task_first]').click();
    await page.getByTestId('form-panel').waitFor();
    await page.getByTestId('form-edit').click();
    const editor = page.getByTestId('form-editor');
    await editor.locator('.fjs-palette-field[data-field-type=textfield]').waitFor(WAIT);
    await dragOnto(
      page,
      editor.locator('.fjs-palette-field[data-field-type=textfield]'),
      editor.locator('.fjs-drop-container-vertical').first(),
    );
    await editor.locator('.fjs-editor-container .fjs-form-field-textfield').first().waitFor(WAIT);
    await shot(page, 'form-editor');
    await page.getByTestId('form-editor-save').click();
    await editor.waitFor({ state: 'detached' });
    expect(await page.getByTestId('form-panel').textContent()).toContain('Form_Task_first');
    await shot(page, 'modeler-new');

    // Deployed: the page becomes the process's own.
    await page.getByTestId('modeler-deploy').click();
    await page.getByText(en['bpm.modeler.deployed'].replace('{version}', '1')).waitFor(WAIT);
    await expect.poll(() => new URL(page.url()).pathname, WAIT).toMatch(/^\/bpm\/processes\/Process_/);

    // Downloaded as .bpmn.
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('modeler-download').click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^Process_\w+\.bpmn$/);

    // An uploaded model with an unknown action is refused, and the problem is on its element.
    await page.getByRole('link', { name: en['bpm.modeler.back'] }).click();
    await page.getByTestId('processes-grid').waitFor();
    await page.getByTestId('process-upload-input').setInputFiles(join(FIXTURES, 'unknown-action.bpmn'));
    await page.locator('[data-testid=modeler][data-ready]').waitFor(WAIT);
    await page.getByTestId('modeler-deploy').click();
    await page.getByTestId('problems').waitFor(WAIT);
    await page.getByTestId('problem-badge-read_client').waitFor();
    expect(await page.getByTestId('problems').textContent()).toContain('Read the client card');
    expect(await overflowsSideways(page)).toBe(false);
    await shot(page, 'modeler-problems');

    // The action is picked from the catalog, with its inputs as help; then the model deploys.
    await page.locator('[data-testid=modeler-canvas] [data-element-id=read_client]').click();
    await page.getByTestId('action-picker').waitFor();
    await page.getByTestId('action-select').selectOption('crm.getClient');
    await page.getByTestId('action-inputs').waitFor();
    await shot(page, 'modeler-action');
    await page.getByTestId('modeler-deploy').click();
    // The first deployment's note may still be showing: the newest is the last.
    await page.getByText(en['bpm.modeler.deployed'].replace('{version}', '1')).last().waitFor(WAIT);
    await expect.poll(() => new URL(page.url()).pathname, WAIT).toBe('/bpm/processes/client_check');
    expect(await page.getByTestId('problems').count()).toBe(0);

    // The list shows both.
    await page.getByRole('link', { name: en['bpm.modeler.back'] }).click();
    await row(page, 'processes-grid', 'Client check').waitFor();
    await shot(page, 'processes');

    // In Russian the palette and the properties panel speak it too.
    await page.selectOption('[data-testid=language-select]', 'ru');
    await page.locator('html[lang=ru]').waitFor({ state: 'attached' });
    await row(page, 'processes-grid', 'Client check').click();
    await page.locator('[data-testid=modeler][data-ready]').waitFor(WAIT);
    await page.locator('[data-testid=modeler-canvas] [data-element-id=read_client]').click();
    await page.getByTestId('properties-panel').getByText(ruTexts['bpm.bpmnjs.Task definition']).waitFor();
    await shot(page, 'modeler-ru');
    await page.close();
  });
});

describe('the instance monitor', () => {
  it('shows where an instance stands, its incident with Retry, its data and history, and cancels it', async () => {
    const page = await harness.newPage({ width: 1366, height: 900 });
    await signIn(page);
    const deployed = await page.request.post(`${harness.baseUrl}/api/bpm/deployments`, {
      headers: { 'Content-Type': 'application/xml' },
      data: readFileSync(join(FIXTURES, 'order-routing.bpmn'), 'utf8'),
    });
    expect(deployed.status(), await deployed.text()).toBe(201);
    const started = await page.request.post(`${harness.baseUrl}/api/bpm/instances`, {
      data: {
        processId: 'order_routing',
        businessKey: 'ORD-7',
        variables: { amount: 5, client: 'Chorsu savdo' },
      },
    });
    expect(started.status(), await started.text()).toBe(201);
    const { id } = (await started.json()) as { id: string };

    // The list, filtered to this process.
    await page.getByTestId('nav-/bpm/instances').click();
    await page.getByTestId('instances-grid').waitFor();
    await page.getByTestId('instances-process').selectOption('order_routing');
    const line = row(page, 'instances-grid', 'ORD-7');
    await line.waitFor(WAIT);
    expect(await line.textContent()).toContain(en['bpm.state.failed']);
    await shot(page, 'instances');

    // The incident: red on the gateway, its message, and Retry.
    await line.click();
    await page.locator('[data-testid=instance-diagram][data-ready]').waitFor(WAIT);
    await page.getByTestId('incidents').waitFor();
    expect(await page.getByTestId('incidents').textContent()).toContain('Big order?');
    expect(
      await page.locator('[data-testid=instance-diagram] .bpm-incident[data-element-id=big]').count(),
    ).toBe(1);
    expect(await page.getByTestId('instance-variables').textContent()).toContain('Chorsu savdo');
    expect(await overflowsSideways(page)).toBe(false);
    await shot(page, 'instance-incident');

    // With a larger amount the retry takes the path to the approval, which is now where it stands.
    const changed = await page.request.put(`${harness.baseUrl}/api/bpm/instances/${id}/variables`, {
      data: { variables: { amount: 500 } },
    });
    expect(changed.status(), await changed.text()).toBe(200);
    await page.getByTestId('incident-retry').click();
    await page.getByTestId('incidents').waitFor({ state: 'detached' });
    await page
      .locator('[data-testid=instance-diagram] .bpm-active[data-element-id=approve_order]')
      .waitFor(WAIT);
    expect(await page.getByTestId('instance-history').textContent()).toContain('Approve the order');
    await shot(page, 'instance');

    // Cancelled after a question.
    await page.getByTestId('instance-cancel').click();
    await page.getByTestId('cancel-dialog').waitFor();
    await shot(page, 'instance-cancel');
    await page.getByTestId('cancel-dialog-confirm').click();
    await page.getByTestId('cancel-dialog').waitFor({ state: 'detached' });
    await expect
      .poll(() => page.getByTestId('instance-state').first().textContent(), WAIT)
      .toBe(en['bpm.state.cancelled']);

    // From the instance to its model, and from the model back to its instances.
    await page.getByTestId('instance-model').click();
    await page.locator('[data-testid=modeler][data-ready]').waitFor(WAIT);
    expect(await page.locator('[data-testid=modeler-canvas] [data-element-id=big]').count()).toBe(1);
    await page.getByTestId('modeler-instances').click();
    await row(page, 'instances-grid', 'ORD-7').waitFor(WAIT);
    expect(await page.inputValue('[data-testid=instances-process]')).toBe('order_routing');
    await page.close();

    // On a phone nothing sticks out.
    const phone = await harness.newPage({ width: 390, height: 844 });
    await signIn(phone);
    await phone.goto(`${harness.baseUrl}/bpm/instances/${id}`);
    await phone.locator('[data-testid=instance-diagram][data-ready]').waitFor(WAIT);
    expect(await overflowsSideways(phone)).toBe(false);
    await shot(phone, 'instance-phone');
    await phone.close();
  });
});
