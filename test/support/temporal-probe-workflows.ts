/**
 * A Temporal bundle entry for tests: small probe processes served by the same runtime as
 * workflows/temporal.ts, to pin behaviour the reference process does not exercise.
 */
import { defineEvent, defineProcess } from '../../workflows/kit';
import { processWorkflow } from '../../workflows/temporal';

export const probeEvent = defineEvent<{ n: number }>('probe.ping');

type ProbeActivities = { gotSecond(): Promise<void>; gotNone(): Promise<void> };

/** Waits for two `probe.ping` events; the activity it calls shows whether the second arrived. */
export const twoEventsProbe = defineProcess<unknown, void, ProbeActivities>(
  { key: 'probe-two-events', version: 1 },
  async (ctx) => {
    await ctx.waitFor(probeEvent.topic);
    const second = await ctx.waitFor(probeEvent.topic, {
      until: new Date((await ctx.now()).getTime() + 86_400_000),
    });
    if (second) await ctx.act.gotSecond();
    else await ctx.act.gotNone();
  },
);

/** Throws from process code. */
export const throwingProbe = defineProcess<unknown, void, ProbeActivities>(
  { key: 'probe-throws', version: 1 },
  async () => {
    throw new RangeError('benefit amount out of range');
  },
);

export default processWorkflow(
  new Map([twoEventsProbe, throwingProbe].map((p) => [p.id, p as never])),
);
