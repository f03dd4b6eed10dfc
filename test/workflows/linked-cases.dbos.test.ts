import { randomUUID } from 'node:crypto';
import type { AnyProcess } from '../../workflows';
import { createLinkActivities } from '../../activities/case/link.activities';
import { Case } from '../../src/cases/case.entity';
import { TimelineEvent } from '../../src/cases/timeline-event.entity';
import { ErrorCode } from '../../src/platform/errors/domain-error';
import { decided, finish, linkSender as sender, linkWaiter as waiter } from '../support/kit-probes';
import {
  caseRow,
  createMunicipality,
  domainRejection,
  runFinished,
  startHarness,
  type Harness,
} from '../support/engine-harness';

jest.setTimeout(30_000);

let h: Harness;
let mun: string;
let other: string;
beforeAll(async () => {
  h = await startHarness({ extraProcesses: [waiter, sender] as unknown as AnyProcess[] });
  mun = await createMunicipality(h.ds);
  other = await createMunicipality(h.ds);
});
afterAll(() => h.close());

const caseOf = (municipalityId: string, processKey: string, started = true): Promise<Case> =>
  caseRow(h, municipalityId, processKey, started);

const finished = (id: string) => runFinished(h.engine, id);

const rejection = domainRejection;

const link = (municipalityId: string, from: Case, to: Case, type: string) =>
  h.cases.link('acc-1', { municipalityId, fromCaseId: from.id, toCaseId: to.id, type });

describe('linked cases (CaseService)', () => {
  it('links two cases with a type once, and lists the link from both sides', async () => {
    const [item, matter] = [
      await caseOf(mun, 'kit-link-sender'),
      await caseOf(mun, 'kit-link-waiter'),
    ];
    expect(await link(mun, item, matter, 'decides')).toBe(true);
    expect(await link(mun, item, matter, 'decides')).toBe(false);
    expect(await h.cases.links(mun, item.id)).toEqual([
      expect.objectContaining({
        relation: 'outgoing',
        type: 'decides',
        caseId: matter.id,
        number: matter.number,
      }),
    ]);
    expect(await h.cases.links(mun, matter.id)).toEqual([
      expect.objectContaining({
        relation: 'incoming',
        type: 'decides',
        caseId: item.id,
        number: item.number,
      }),
    ]);
    const kinds = await h.tenantDb.run(mun, (em) =>
      em.find(TimelineEvent, { where: [{ caseId: item.id }, { caseId: matter.id }] }),
    );
    expect(
      kinds
        .filter((e) => e.kind === 'case.linked')
        .map((e) => e.data.direction)
        .sort(),
    ).toEqual(['incoming', 'outgoing']);
  });

  it('refuses a link to a case of another municipality, an unknown type and a link to itself, writing nothing', async () => {
    const mine = await caseOf(mun, 'kit-link-sender');
    const theirs = await caseOf(other, 'kit-link-waiter');
    const across = await rejection(link(mun, mine, theirs, 'decides'));
    expect(across.fields).toEqual([
      { field: 'toCaseId', message: 'cases:errors.linkTargetNotFound' },
    ]);
    // Naming the other municipality does not help: the linking case is then not found there.
    expect((await rejection(link(other, mine, theirs, 'decides'))).code).toBe(ErrorCode.NotFound);
    const bad = await rejection(link(mun, mine, mine, 'owns'));
    expect(bad.fields).toEqual([
      { field: 'type', message: 'cases:errors.linkType' },
      { field: 'toCaseId', message: 'cases:errors.linkTarget' },
    ]);
    expect(await h.cases.links(mun, mine.id)).toEqual([]);
    expect(await h.cases.links(other, theirs.id)).toEqual([]);
    // The database refuses it too, whatever the code: the link refers to both cases with one municipality.
    await expect(
      h.ds.query(
        `INSERT INTO case_links (municipality_id, from_case_id, to_case_id, type, created_by) VALUES ($1, $2, $3, 'decides', 'x')`,
        [mun, mine.id, theirs.id],
      ),
    ).rejects.toThrow(/foreign key|row-level security/);
  });

  it('opens a case as part of a parent of its municipality, and refuses a parent of another', async () => {
    const parent = await caseOf(mun, 'kit-link-waiter');
    const child = await h.cases.open({
      municipalityId: mun,
      processKey: 'reference',
      title: 'part',
      input: { subjectRef: 'p-1' },
      actor: 'system',
      parentCaseId: parent.id,
    });
    expect(child.parentId).toBe(parent.id);
    expect((await h.cases.links(mun, parent.id)).map((l) => [l.relation, l.caseId])).toEqual([
      ['child', child.id],
    ]);
    expect((await h.cases.links(mun, child.id)).map((l) => [l.relation, l.caseId])).toEqual([
      ['parent', parent.id],
    ]);
    const foreign = await caseOf(other, 'kit-link-waiter');
    const e = await rejection(
      h.cases.open({
        municipalityId: mun,
        processKey: 'reference',
        title: 'x',
        input: {},
        actor: 'system',
        parentCaseId: foreign.id,
      }),
    );
    expect(e.fields).toEqual([{ field: 'parentCaseId', message: 'cases:errors.parentNotFound' }]);
  });
});

describe('signalCase: a run signals a linked case through the engine port', () => {
  it('links, signals the decided case once per key, and records both sides', async () => {
    const matter = await caseOf(mun, 'kit-link-waiter');
    const item = await caseOf(mun, 'kit-link-sender');
    await h.engine.start('kit-link-waiter', matter.id, {});
    await h.engine.start('kit-link-sender', item.id, { municipalityId: mun, target: matter.id });
    const sent = await finished(item.id);
    expect(sent.status).toBe('completed');
    expect(sent.result).toEqual([{ delivered: true }, { delivered: true }]);
    await h.engine.signal(matter.id, finish.topic.topic, {});
    const got = await finished(matter.id);
    expect(got.result).toEqual({ first: 'adopted', duplicate: null });
    const timeline = await h.tenantDb.run(mun, (em) =>
      em.find(TimelineEvent, { where: [{ caseId: item.id }, { caseId: matter.id }] }),
    );
    expect(timeline.filter((e) => e.kind === 'case.signalled').map((e) => e.caseId)).toEqual([
      item.id,
    ]);
    expect(
      timeline
        .filter((e) => e.kind === 'case.signal-received')
        .map((e) => [e.caseId, e.data.fromCaseId]),
    ).toEqual([[matter.id, item.id]]);
  });

  const acts = () => createLinkActivities({ tenantDb: h.tenantDb, engine: () => h.engine });
  const send = (
    from: Case,
    to: Case,
    municipalityId = from.municipalityId,
    topic = decided.topic.topic,
  ) =>
    acts().signalCase({
      caseId: from.id,
      municipalityId,
      targetCaseId: to.id,
      topic,
      payload: {},
      key: 'k',
    });

  it('refuses a case that is not linked, a case of another municipality and a task completion', async () => {
    const a = await caseOf(mun, 'kit-link-sender');
    const b = await caseOf(mun, 'kit-link-waiter');
    expect((await rejection(send(a, b))).code).toBe(ErrorCode.Forbidden);
    const foreign = await caseOf(other, 'kit-link-waiter');
    expect((await rejection(send(a, foreign))).code).toBe(ErrorCode.Forbidden);
    expect((await rejection(send(a, foreign, other))).code).toBe(ErrorCode.Forbidden);
    await link(mun, a, b, 'related');
    expect((await rejection(send(b, a, mun, `task.completed:${randomUUID()}`))).code).toBe(
      ErrorCode.Forbidden,
    );
  });

  it('reports a closed target without signalling, and retries a target whose run has not started', async () => {
    const a = await caseOf(mun, 'kit-link-sender');
    const waiting = await caseOf(mun, 'kit-link-waiter', false);
    await link(mun, a, waiting, 'pays');
    const notYet = await rejection(send(a, waiting));
    expect(notYet.retryable).toBe(true);
    await h.tenantDb.run(mun, (em) => em.update(Case, { id: waiting.id }, { status: 'closed' }));
    expect(await send(a, waiting)).toEqual({ delivered: false, reason: 'target-closed' });
  });
});
