/**
 * Small processes exercising the kit's linked cases, external events and group decisions. Run on
 * DBOS by test/workflows/*.dbos.test.ts and bundled for Temporal by temporal-kit-probes.ts, so
 * both engines run the same process code. Process code only: no I/O, no Node imports.
 */
import {
  collect,
  defineEvent,
  defineProcess,
  waitForEvent,
  type CaseLinkActivities,
  type CollectActivities,
  type ExternalEventActivities,
  type ExternalEventResult,
  type SignalCaseResult,
  type Tally,
  type TallyRule,
} from '../../workflows/kit';

/** What a council agenda item tells the case it decides. */
export const decided = defineEvent<{ outcome: string }>('probe.decided');
export const finish = defineEvent<Record<string, never>>('probe.finish');

/** The decided case: takes the decision, then (after the test says all was sent) looks for a duplicate. */
export const linkWaiter = defineProcess<
  unknown,
  { first: string; duplicate: string | null },
  CaseLinkActivities
>({ key: 'kit-link-waiter', version: 1 }, async (ctx) => {
  const first = await ctx.waitFor(decided.topic);
  await ctx.waitFor(finish.topic);
  const again = await ctx.waitFor(decided.topic, {
    until: new Date((await ctx.now()).getTime() + 200),
  });
  return { first: first!.outcome, duplicate: again?.outcome ?? null };
});

/** The agenda item: links its case to the one it decides and signals it, twice under one key (a retried step). */
export const linkSender = defineProcess<
  { municipalityId: string; target: string },
  SignalCaseResult[],
  CaseLinkActivities
>({ key: 'kit-link-sender', version: 1 }, async (ctx, input) => {
  await ctx.act.linkCase({
    caseId: ctx.caseId,
    municipalityId: input.municipalityId,
    toCaseId: input.target,
    type: 'decides',
  });
  const send = {
    caseId: ctx.caseId,
    municipalityId: input.municipalityId,
    targetCaseId: input.target,
    topic: decided.topic.topic,
    key: 'decision',
  };
  return [
    await ctx.act.signalCase({ ...send, payload: { outcome: 'adopted' } }),
    await ctx.act.signalCase({ ...send, payload: { outcome: 'twice' } }),
  ];
});

/** A payment confirmation from the payment provider. */
export const paymentConfirmed = defineEvent<{ amountCents: number }>('payment.confirmed');

/** Waits for the payment until the deadline in its input (absolute: the test sets the time). */
export const paymentWaiter = defineProcess<
  { municipalityId: string; deadline: string },
  ExternalEventResult<{ amountCents: number }>,
  ExternalEventActivities
>({ key: 'kit-payment-waiter', version: 1 }, (ctx, input) =>
  waitForEvent(ctx, paymentConfirmed, {
    municipalityId: input.municipalityId,
    deadline: input.deadline,
  }),
);

/**
 * A commission's vote: one task per member, closed by the rule or at the closing time in its input.
 * Members are caseworkers with the process's grant (deputies do not open case files today).
 */
export const councilVote = defineProcess<
  { municipalityId: string; participants: string[]; closesAt: string; rule: TallyRule },
  Tally,
  CollectActivities
>({ key: 'kit-council-vote', version: 1 }, (ctx, input) =>
  collect(ctx, {
    municipalityId: input.municipalityId,
    step: 'vote',
    role: 'caseworker',
    formKey: 'kit.vote',
    title: 'Vote on the agenda item',
    participants: input.participants,
    closesAt: input.closesAt,
    rule: input.rule,
  }),
);
