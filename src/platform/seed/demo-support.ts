import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ActingUser } from '../../cases/acting-user';
import { Case } from '../../cases/case.entity';
import { Task } from '../../cases/task.entity';
import { DeliverySender } from '../../delivery/delivery-sender';
import { Account } from '../accounts/account.entity';
import { demoStaffUsername } from '../accounts/demo-identities';
import type { Role } from '../accounts/roles';
import { TenantDb } from '../tenancy/tenant-db';

export const DAY = 86_400_000;

/** What one demo seed run is told: the municipality, "today" for backdating, where to report. */
export interface DemoContext {
  app: INestApplication;
  municipality: { id: string; code: string; country: string };
  today: Date;
  log: (line: string) => void;
  /** How long to wait for a run to reach a step (a seed on a busy machine may take a while). */
  waitMs: number;
}

/** Polls until `fn` returns a value (not null/undefined/false), or throws naming what it waited for. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (let pause = 25; ; pause = Math.min(pause * 2, 250)) {
    const v = await fn();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`seed: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** The demo staff member of a role in this municipality, as an acting user of the services. */
export async function demoStaff(
  ctx: DemoContext,
  role: Exclude<Role, 'citizen'>,
): Promise<ActingUser> {
  const a = await ctx.app
    .get(DataSource)
    .getRepository(Account)
    .findOneByOrFail({ username: demoStaffUsername(role, ctx.municipality.code) });
  return { accountId: a.id, municipalityId: ctx.municipality.id, roles: [role] };
}

export function caseRow(ctx: DemoContext, caseId: string): Promise<Case | null> {
  return ctx.app
    .get(TenantDb)
    .run(ctx.municipality.id, (em) => em.findOne(Case, { where: { id: caseId } }));
}

/** The case's open (or claimed) task once its run has opened one. */
export function openTask(ctx: DemoContext, caseId: string): Promise<Task> {
  return until(
    `an open task on case ${caseId}`,
    () =>
      ctx.app
        .get(TenantDb)
        .run(ctx.municipality.id, (em) =>
          em
            .createQueryBuilder(Task, 't')
            .where(`t.case_id = :caseId AND t.status IN ('open', 'claimed')`, { caseId })
            .getOne(),
        ),
    ctx.waitMs,
  );
}

export function caseReaches(
  ctx: DemoContext,
  caseId: string,
  what: string,
  test: (c: Case) => boolean,
): Promise<Case> {
  return until(
    `case ${caseId} ${what}`,
    async () => {
      const c = await caseRow(ctx, caseId);
      return c && test(c) ? c : null;
    },
    ctx.waitMs,
  );
}

/**
 * Sends the case's outbox messages now, as the delivery poller would, and asks the channel for the
 * delivery receipt; returns the statuses. A failure is left to the poller's retries.
 */
export async function deliverNow(ctx: DemoContext, caseId: string): Promise<string[]> {
  const sender = ctx.app.get(DeliverySender);
  const rows = (await ctx.app
    .get(TenantDb)
    .run(ctx.municipality.id, (em) =>
      em.query(`SELECT id, status FROM outbox_messages WHERE case_id = $1 ORDER BY created_at`, [
        caseId,
      ]),
    )) as { id: string; status: string }[];
  const out: string[] = [];
  for (const r of rows) {
    let status = r.status;
    if (status === 'pending' || status === 'failed')
      status = (await sender.send(ctx.municipality.id, r.id)).status;
    if (status === 'sent') status = (await sender.refreshStatus(ctx.municipality.id, r.id)).status;
    out.push(status);
  }
  return out;
}

/** An ISO date `days` after `date` (local calendar arithmetic on the date part). */
export const addDaysIso = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
