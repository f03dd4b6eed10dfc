import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseService } from '../cases/case.service';
import { Task } from '../cases/task.entity';
import { DeadlineRulesService } from '../deadlines/deadline-rules.service';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { Account } from '../platform/accounts/account.entity';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { InfoRequestService } from './info-requests/info-request.service';

const DAY = 86_400_000;
const DEMO_RULE = 'reference.decision';

/** Demo cases of the reference process, so the shared pages have something to show. Idempotent per municipality. */
export async function seedDemoCases(app: INestApplication, log: (line: string) => void): Promise<void> {
  const ds = app.get(DataSource);
  const municipalities = (await ds.query(`SELECT id, code, country FROM municipalities ORDER BY code`)) as { id: string; code: string; country: string }[];
  const rules = app.get(DeadlineRulesService);
  for (const country of [...new Set(municipalities.map((m) => m.country))]) {
    if ((await rules.list(country)).some((r) => r.ruleKey === DEMO_RULE)) continue;
    await rules.define({
      country,
      processKey: 'reference',
      ruleKey: DEMO_RULE,
      basis: country === 'LV' ? 'Administratīvā procesa likums 64. pants' : 'Ν. 2690/1999 (Κώδικας Διοικητικής Διαδικασίας), άρθρο 4',
      unit: 'working_days',
      amount: 10,
      maxExtension: 20,
      warnBefore: 2,
      onResume: 'shift',
      validFrom: '2000-01-01',
      note: 'Demo rule for the reference process.',
    });
  }
  const citizen = await ds.getRepository(Account).findOneBy({ personalCode: '150385-12346' });
  for (const m of municipalities) {
    const existing = (await app.get(TenantDb).run(m.id, (em) => em.query(`SELECT count(*)::int AS n FROM cases WHERE process_key = 'reference'`))) as [{ n: number }];
    if (existing[0].n > 0) {
      log(`${m.code}: reference cases exist, skipped`);
      continue;
    }
    const demo = [
      { title: 'Izziņa par deklarēto dzīvesvietu', subject: 'REF-1001', startedDaysAgo: 2 },
      { title: 'Izziņa par īpašumu', subject: 'flagged-REF-1002', startedDaysAgo: 9 },
      { title: 'Izziņa pēc iesnieguma (nokavēta)', subject: 'REF-1003', startedDaysAgo: 40 },
      { title: 'Izziņa ar informācijas pieprasījumu', subject: 'REF-1004', startedDaysAgo: 5, ask: true },
      { title: 'Izziņa, subjekts nav atrasts', subject: 'unknown-REF-1005', startedDaysAgo: 1 },
    ];
    for (const d of demo) {
      const c = await app.get(CaseService).open({
        municipalityId: m.id,
        processKey: 'reference',
        title: d.title,
        applicantRef: citizen?.id ?? null,
        actor: 'system',
        input: { subjectRef: d.subject },
      });
      // A subject the register does not know closes at once: no legal clock to keep.
      if (!d.subject.startsWith('unknown-')) await app.get(DeadlinesService).start({ municipalityId: m.id, caseId: c.id, key: 'decision', ruleKey: DEMO_RULE, startedAt: new Date(Date.now() - d.startedDaysAgo * DAY) });
      if (d.ask) {
        for (let i = 0; i < 200 && !(await app.get(TenantDb).run(m.id, (em) => em.findOne(Task, { where: { caseId: c.id } }))); i++) await new Promise((r) => setTimeout(r, 50));
        await app.get(InfoRequestService).ask(m.id, c.id, 'system', 'Lūdzu, iesniedziet īres līguma kopiju.', 10);
      }
      log(`${m.code}: opened ${c.number} (${d.title})`);
    }
  }
}
