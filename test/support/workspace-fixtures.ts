import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DeadlineRulesService } from '../../src/deadlines/deadline-rules.service';

/** A legal-deadline rule for the reference process, unique to the calling test file. */
export async function defineReferenceRule(
  app: INestApplication,
  opts: { amount?: number; maxExtension?: number | null } = {},
): Promise<string> {
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
