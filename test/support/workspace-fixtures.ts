import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseService } from '../../src/cases/case.service';
import { Task } from '../../src/cases/task.entity';
import { DeadlineRulesService } from '../../src/deadlines/deadline-rules.service';
import { DeadlinesService } from '../../src/deadlines/deadlines.service';
import { TenantDb } from '../../src/platform/tenancy/tenant-db';

/** A municipality of this test file (random code, so files never collide). */
export async function createTestMunicipality(app: INestApplication, country = 'LV', code = `w${randomBytes(4).toString('hex')}`): Promise<string> {
  const [row] = (await app.get(DataSource).query(`INSERT INTO municipalities (code, name, country) VALUES ($1, $2, $3) RETURNING id`, [code, `Test ${code}`, country])) as [{ id: string }];
  return row.id;
}

/** A legal-deadline rule for the reference process, unique to the calling test file. */
export async function defineReferenceRule(app: INestApplication, opts: { amount?: number; maxExtension?: number | null } = {}): Promise<string> {
  const ruleKey = `reference.decision.${randomBytes(3).toString('hex')}`;
  await app.get(DeadlineRulesService).define({
    country: 'LV',
    processKey: 'reference',
    ruleKey,
    basis: 'Administratīvā procesa likums 64. pants',
    unit: 'working_days',
    amount: opts.amount ?? 10,
    maxExtension: opts.maxExtension === undefined ? 20 : opts.maxExtension,
    warnBefore: 2,
    onResume: 'shift',
    validFrom: '2000-01-01',
    note: 'test rule',
  });
  return ruleKey;
}

export interface OpenedReferenceCase {
  caseId: string;
  taskId: string;
  number: string;
}

/** Opens a reference case (the DBOS run opens its review task) and waits for the task row. */
export async function openReferenceCase(
  app: INestApplication,
  municipalityId: string,
  opts: { applicantRef?: string; subjectRef?: string; title?: string; ruleKey?: string; startedAt?: Date } = {},
): Promise<OpenedReferenceCase> {
  const c = await app.get(CaseService).open({
    municipalityId,
    processKey: 'reference',
    title: opts.title ?? 'Reference test',
    applicantRef: opts.applicantRef ?? null,
    actor: 'system',
    input: { subjectRef: opts.subjectRef ?? `person-${randomBytes(3).toString('hex')}` },
  });
  if (opts.ruleKey) {
    await app.get(DeadlinesService).start({ municipalityId, caseId: c.id, key: 'decision', ruleKey: opts.ruleKey, startedAt: opts.startedAt ?? new Date() });
  }
  const tenantDb = app.get(TenantDb);
  for (let i = 0; i < 600; i++) {
    const t = await tenantDb.run(municipalityId, (em) => em.findOne(Task, { where: { caseId: c.id } }));
    if (t) return { caseId: c.id, taskId: t.id, number: c.number };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('review task not opened');
}

/** Polls until `fn` returns a truthy value. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
