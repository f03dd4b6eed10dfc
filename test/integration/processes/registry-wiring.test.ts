import { Case } from '../../../src/cases/case.entity';
import { TimelineEvent } from '../../../src/cases/timeline-event.entity';
import { PROCESS_ENGINE, type ProcessEngine } from '../../../src/engine/process-engine';
import { ProcessRegistry } from '../../../src/processes/process-registry';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(120_000);

let h: ResidenceHarness;
beforeAll(async () => {
  h = await startResidenceApp();
});
afterAll(() => h?.close());

describe('the activity map the registry builds in the application', () => {
  it('holds the platform, reference and residence activities once, as the engine runs them', () => {
    const registry = h.running.app.get(ProcessRegistry);
    const names = Object.keys(registry.activities());
    expect(names).toEqual(
      expect.arrayContaining([
        'openTask',
        'openGroupTasks',
        'signalCase',
        'issueDocument',
        'startDeadline',
        'checkRegistry',
        'checkDeclarationAddress',
        'issueRequestedCertificate',
      ]),
    );
    expect(registry.activities()).toBe(registry.activities());
  });

  it('signals a linked case through the application engine (the port, no late binding)', async () => {
    const open = (title: string) =>
      h.cases.open({
        municipalityId: h.municipalityId,
        processKey: 'reference',
        title,
        applicantRef: 'p-1',
        actor: 'system',
        input: { subjectRef: 'person-1' },
      });
    const from = await open('Sender');
    const to = await open('Target');
    await h.cases.link('system', {
      municipalityId: h.municipalityId,
      fromCaseId: from.id,
      toCaseId: to.id,
      type: 'related',
    });
    const started = async () =>
      (await h.tenantDb.run(h.municipalityId, (em) => em.findOneByOrFail(Case, { id: to.id })))
        .runStartedAt;
    for (let i = 0; !(await started()) && i < 200; i++) await new Promise((r) => setTimeout(r, 25));
    const sent: string[] = [];
    const engine = h.running.app.get<typeof PROCESS_ENGINE, ProcessEngine>(PROCESS_ENGINE);
    const signal = engine.signal.bind(engine);
    engine.signal = (caseId, topic, payload, opts) => {
      sent.push(`${caseId}:${topic}`);
      return signal(caseId, topic, payload, opts);
    };
    try {
      const { signalCase } = h.running.app.get(ProcessRegistry).activities();
      await expect(
        signalCase({
          caseId: from.id,
          municipalityId: h.municipalityId,
          targetCaseId: to.id,
          topic: 'probe.ping',
          payload: {},
          key: 'ping',
        }),
      ).resolves.toEqual({ delivered: true });
    } finally {
      engine.signal = signal;
    }
    expect(sent).toEqual([`${to.id}:probe.ping`]);
    const kinds = await h.tenantDb.run(h.municipalityId, (em) =>
      em.findBy(TimelineEvent, { caseId: from.id, kind: 'case.signalled' }),
    );
    expect(kinds).toHaveLength(1);
  });
});
