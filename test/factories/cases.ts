import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { CaseService } from '../../src/cases/case.service';
import { Task } from '../../src/cases/task.entity';
import { DeadlinesService } from '../../src/deadlines/deadlines.service';
import { TenantDb } from '../../src/platform/tenancy/tenant-db';

export interface OpenedReferenceCase {
  caseId: string;
  taskId: string;
  number: string;
}

/**
 * A reference case opened as the app opens one (CaseService.open; the run starts after commit and
 * opens its review task), optionally with a legal deadline started; waits for the task row.
 */
export async function openReferenceCase(
  app: INestApplication,
  municipalityId: string,
  opts: {
    applicantRef?: string;
    subjectRef?: string;
    title?: string;
    ruleKey?: string;
    startedAt?: Date;
  } = {},
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
    await app.get(DeadlinesService).start({
      municipalityId,
      caseId: c.id,
      key: 'decision',
      ruleKey: opts.ruleKey,
      startedAt: opts.startedAt ?? new Date(),
    });
  }
  const tenantDb = app.get(TenantDb);
  for (let i = 0; i < 600; i++) {
    const t = await tenantDb.run(municipalityId, (em) =>
      em.findOne(Task, { where: { caseId: c.id } }),
    );
    if (t) return { caseId: c.id, taskId: t.id, number: c.number };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('review task not opened');
}
