import { Not } from 'typeorm';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * docs/adding-a-process.md, done for real: the repository's tree is copied, the example process
 * (test/fixtures/example-process: dog registration) is dropped into its own folders, the two
 * registration lines are added, and the copied application walks a case from the citizen's form
 * to the delivered, sealed decision. The shipped tree never lists the example.
 */
const ROOT = join(__dirname, '..', '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'example-process');
const TREE = [
  'package.json',
  'tsconfig.json',
  'src',
  'workflows',
  'activities',
  'templates',
  'test/support',
  'test/factories',
  'test/integration/auth/auth-support.ts',
  'test/integration/documents/support.ts',
];

/** The two registration lines of the recipe (each with its import). */
export const REGISTRATION = {
  'src/app.module.ts': {
    import:
      "import { DogRegistrationModule } from './modules/dog-registration/dog-registration.module';",
    after: '        ReferenceModule,\n',
    line: '        DogRegistrationModule,\n',
  },
  'workflows/index.ts': {
    import: "import { dogRegistrationVersions } from './dog-registration';",
    after: '  ...referenceVersions,\n',
    line: '  ...dogRegistrationVersions,\n',
  },
} as const;

function register(dir: string): void {
  for (const [file, r] of Object.entries(REGISTRATION)) {
    const path = join(dir, file);
    const src = readFileSync(path, 'utf8');
    if (!src.includes(r.after))
      throw new Error(`${file} has no line ${JSON.stringify(r.after)} to register after`);
    writeFileSync(path, `${r.import}\n${src.replace(r.after, `${r.after}${r.line}`)}`);
  }
}

const files = (dir: string, base = dir): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, base) : [relative(base, p)];
  });

let tree: string;
/* eslint-disable @typescript-eslint/no-require-imports -- the copied tree is loaded by path, at run time */
const load = <T>(path: string): T => require(join(tree, path)) as T;

beforeAll(() => {
  tree = mkdtempSync(join(tmpdir(), 'civitas-example-tree-'));
  for (const p of TREE) cpSync(join(ROOT, p), join(tree, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
  if (existsSync(join(ROOT, 'dist'))) symlinkSync(join(ROOT, 'dist'), join(tree, 'dist'), 'dir');
  cpSync(FIXTURE, tree, { recursive: true });
  register(tree);
});
afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe('adding a process (docs/adding-a-process.md)', () => {
  it('touches only its own folders plus the two registration lines', () => {
    const changed = ['src', 'workflows', 'activities', 'templates'].flatMap((top) =>
      files(join(tree, top), tree).filter(
        (f) =>
          !existsSync(join(ROOT, f)) ||
          readFileSync(join(ROOT, f), 'utf8') !== readFileSync(join(tree, f), 'utf8'),
      ),
    );
    const own = /^(workflows|activities|src\/modules|templates\/documents)\/dog-registration\//;
    expect(changed.filter((f) => !own.test(f)).sort()).toEqual([
      'src/app.module.ts',
      'workflows/index.ts',
    ]);
    for (const file of Object.keys(REGISTRATION)) {
      const diff =
        readFileSync(join(tree, file), 'utf8').split('\n').length -
        readFileSync(join(ROOT, file), 'utf8').split('\n').length;
      expect([file, diff]).toEqual([file, 2]);
    }
  });

  it('bundles the example for Temporal with the shipped workflow entry and replays a history of it', async () => {
    const { bundleForReplay, replayHistory } = load<typeof import('../../support/temporal-replay')>(
      'test/support/temporal-replay',
    );
    const { HistoryBuilder } = load<typeof import('../../support/history-builder')>(
      'test/support/history-builder',
    );
    const { workflowTypes } =
      load<typeof import('../../../workflows/temporal')>('workflows/temporal');
    const { EVENT_SIGNAL } = load<typeof import('../../../workflows/temporal-contract')>(
      'workflows/temporal-contract',
    );
    const { TASK_DECISION_FROM_CASE_FILE } =
      load<typeof import('../../../workflows/kit')>('workflows/kit');
    expect([...workflowTypes.keys()]).toContain('dog-registration@v1');
    const bundle = await bundleForReplay(join(tree, 'workflows', 'temporal.ts'));

    const DAY = 86_400_000;
    const h = new HistoryBuilder({
      workflowType: 'dog-registration@v1',
      input: [
        {
          municipalityId: '00000000-0000-4000-8000-00000000000a',
          dogName: 'Reksis',
          chipNumber: '123456789012345',
        },
      ],
    });
    h.started().workflowTask();
    h.activity('startDeadline', { deadlineId: 'd-1' });
    h.activity('setStage');
    const at = (days: number) => new Date(h.now.getTime() + days * DAY).toISOString();
    h.activity('openTask', { taskId: 't-1', dueAt: at(14), remindAt: at(12) });
    const reminder = h.startTimer(12 * DAY);
    h.advance(DAY)
      .signal(EVENT_SIGNAL, { topic: 'task.completed:t-1', payload: { taskId: 't-1' } })
      .workflowTask();
    h.cancelTimer(reminder);
    h.patchMarker(TASK_DECISION_FROM_CASE_FILE);
    h.activity('readTaskDecision', {
      decision: { outcome: 'register' },
      completedBy: 'acc-1',
      completedAt: at(0),
    });
    h.activity('markMet').activity('recordDecision');
    h.activity('issueDogDecision', {
      documentId: 'doc-1',
      registrationNumber: 'T-DEC/2026/000001',
      applicant: { personalCode: '150385-12346' },
    });
    h.activity('deliverDocuments', {
      channel: 'e-adrese',
      messageId: 'm-1',
      status: 'sent',
    }).activity('closeCase');
    await replayHistory(bundle, h.completed({ outcome: 'registered' }).build(), 'LV-DOG-1');
  }, 60_000);

  it('walks a case: citizen form → caseworker task → sealed decision → delivery to the applicant', async () => {
    const { signInCitizen, signInStaff, submitForm, startAuthApp } =
      load<typeof import('../../support/session')>('test/support/session');
    const { createSealFixture, pdftotext, PASSPHRASE } = load<
      typeof import('../documents/support')
    >('test/integration/documents/support');
    const { createMunicipality } = load<typeof import('../../factories/municipalities')>(
      'test/factories/municipalities',
    );
    const { eventually } = load<typeof import('../../support/workspace-fixtures')>(
      'test/support/workspace-fixtures',
    );
    const { TenantDb } = load<typeof import('../../../src/platform/tenancy/tenant-db')>(
      'src/platform/tenancy/tenant-db',
    );
    const { Case } = load<typeof import('../../../src/cases/case.entity')>('src/cases/case.entity');
    const { Task } = load<typeof import('../../../src/cases/task.entity')>('src/cases/task.entity');
    const { OutboxMessage } = load<typeof import('../../../src/delivery/outbox-message.entity')>(
      'src/delivery/outbox-message.entity',
    );
    const { IssuedDocument } = load<typeof import('../../../src/documents/issued-document.entity')>(
      'src/documents/issued-document.entity',
    );
    const { Deadline } = load<typeof import('../../../src/deadlines/deadline.entity')>(
      'src/deadlines/deadline.entity',
    );
    const { DocumentService } = load<typeof import('../../../src/documents/document.service')>(
      'src/documents/document.service',
    );

    const seal = await createSealFixture(
      `t${randomBytes(4).toString('hex')}`,
      'Testa novada pašvaldība',
    );
    const a = await startAuthApp({
      SEAL_DIR: seal.dir,
      SEAL_PASSPHRASE: PASSPHRASE,
      DELIVERY_POLL_MS: '0',
      ENGINE_EXECUTOR_ID: `example-${randomBytes(4).toString('hex')}`,
    });
    try {
      const mun = (
        await createMunicipality(a.app, { seal: { dir: seal.dir, passphrase: PASSPHRASE } })
      ).id;
      const db = a.app.get(TenantDb);

      // The citizen finds the service in the catalogue and applies through the generic form.
      const citizen = await signInCitizen(a.url, mun, '150385-12346');
      expect(await (await citizen.get('/services?lang=en')).text()).toContain('Dog registration');
      const form = await (await citizen.get('/services/dog-registration/apply?lang=en')).text();
      const bad = await submitForm(citizen, form, '/services/dog-registration/apply', {
        dogName: 'Reksis',
        chipNumber: '12',
        action: 'submit',
      });
      expect(bad.status).toBe(422);
      expect(await bad.text()).toContain('Enter the 15 digits of the microchip number.');
      const applied = await submitForm(citizen, form, '/services/dog-registration/apply', {
        dogName: 'Reksis',
        chipNumber: '123456789012345',
        action: 'submit',
      });
      expect(applied.status).toBe(303);
      const caseId = /\/my-cases\/([0-9a-f-]{36})/.exec(applied.headers.get('location')!)![1];

      // The run opens the review task; the caseworker decides it in the task form.
      const task = (await eventually(() =>
        db.run(mun, (em) => em.findOne(Task, { where: { caseId, status: 'open' } })),
      ))!;
      expect(task.formKey).toBe('dog-registration.review');
      const caseworker = await signInStaff(a.app, mun, ['caseworker']);
      const post = (path: string, fields: Record<string, string>) =>
        caseworker.agent
          .post(path)
          .type('form')
          .send({ _csrf: caseworker.csrf, ...fields });
      await post(`/workspace/tasks/${task.id}/claim`, {}).expect(303);
      // The claimed task shows the module's form view (labels from its locales) on the case page.
      const page = await caseworker.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
      expect(page.text).toContain('value="register"');
      expect(page.text).toContain('Required when refusing; the applicant will see it.');
      const refused = await post(`/workspace/tasks/${task.id}/complete?lang=en`, {
        outcome: 'refuse',
      }).expect(422);
      expect(refused.text).toContain('reason');
      await post(`/workspace/tasks/${task.id}/complete`, { outcome: 'register' }).expect(303);

      // The run seals the decision in the municipality's language and delivers it to the applicant.
      const closed = (await eventually(
        () => db.run(mun, (em) => em.findOne(Case, { where: { id: caseId, status: 'closed' } })),
        30_000,
      ))!;
      expect(closed.outcome).toBe('registered');
      // The manifest's deadline rule was seeded and ran the legal clock, met by the decision.
      const clocks = await db.run(mun, (em) => em.find(Deadline, { where: { caseId } }));
      expect(clocks.map((d) => [d.ruleKey, d.status])).toEqual([
        ['dog-registration.decision', 'met'],
      ]);
      const outbox = await db.run(mun, (em) =>
        em.find(OutboxMessage, { where: { caseId, channel: Not('portal_status') } }),
      );
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({
        purpose: 'decision',
        recipient: '150385-12346',
        lang: 'lv',
        subject: 'Lēmums par suņa reģistrāciju',
      });
      expect(outbox[0].attachments).toHaveLength(1);
      const [doc] = await db.run(mun, (em) => em.find(IssuedDocument, { where: { caseId } }));
      expect(outbox[0].attachments).toEqual([doc.id]);
      expect(doc).toMatchObject({ templateKey: 'generic/decision', language: 'lv' });
      expect(doc.registrationNumber).toMatch(/-DEC\/\d{4}\/\d+$/);
      expect(outbox[0].body).toContain(doc.registrationNumber);
      const text = (await pdftotext(await a.app.get(DocumentService).pdf(mun, doc.id))).replace(
        /\s+/g,
        ' ',
      );
      expect(text).toContain(doc.registrationNumber);
      expect(text).toContain('Lēmums par suņa reģistrāciju');
      expect(text).toContain('Reģistrēt suni Reksis (mikroshēma 123456789012345)');
    } finally {
      await a.close();
      seal.cleanup();
    }
  }, 120_000);
});
