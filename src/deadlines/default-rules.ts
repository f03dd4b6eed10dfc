import type { DeadlineRule } from './deadline-rule.entity';

export type RuleSeed = Pick<
  DeadlineRule,
  | 'country'
  | 'processKey'
  | 'ruleKey'
  | 'basis'
  | 'unit'
  | 'amount'
  | 'maxExtension'
  | 'warnBefore'
  | 'onResume'
  | 'validFrom'
  | 'note'
>;

/**
 * Defaults seeded when missing; administrators change them by adding a newer effective-dated row.
 * Sources in DOMAIN.md; notes say what is not verified. A process module declares its own rules
 * in its manifest (`deadlineRules`); these are the rules of processes not yet built.
 */
export const DEFAULT_RULES: readonly RuleSeed[] = [
  {
    country: 'LV',
    processKey: 'tree-cutting-permit',
    ruleKey: 'tree-cutting-permit.decision',
    basis: 'MK noteikumi Nr. 309 (2012) "Noteikumi par koku ciršanu ārpus meža"',
    unit: 'working_days',
    amount: 10,
    maxExtension: null,
    warnBefore: 3,
    onResume: 'shift',
    validFrom: '2012-01-01',
    note: 'Decision within 10 working days.',
  },
  {
    country: 'LV',
    processKey: 'tree-cutting-permit',
    ruleKey: 'tree-cutting-permit.decision-with-opinions',
    basis: 'MK noteikumi Nr. 309 (2012) "Noteikumi par koku ciršanu ārpus meža"',
    unit: 'working_days',
    amount: 20,
    maxExtension: null,
    warnBefore: 5,
    onResume: 'shift',
    validFrom: '2012-01-01',
    note: '20 working days when expert or institution opinions are needed.',
  },
  {
    country: 'LV',
    processKey: 'social-assistance',
    ruleKey: 'social-assistance.status-decision',
    basis: 'Sociālo pakalpojumu un sociālās palīdzības likums; MK noteikumi Nr. 809 (2020)',
    unit: 'months',
    amount: 1,
    maxExtension: null,
    warnBefore: 5,
    onResume: 'restart',
    validFrom: '2021-01-01',
    note: '1 month after the application and all supporting information are received: the term restarts when missing information arrives.',
  },
];
