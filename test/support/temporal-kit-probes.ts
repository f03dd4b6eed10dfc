/**
 * A Temporal bundle entry for the kit's probe processes (kit-probes.ts): the same process code the
 * DBOS tests run, served by the runtime of workflows/temporal.ts.
 */
import { processWorkflow } from '../../workflows/temporal';
import { councilVote, linkSender, linkWaiter, paymentWaiter } from './kit-probes';

export default processWorkflow(
  new Map([linkSender, linkWaiter, paymentWaiter, councilVote].map((p) => [p.id, p as never])),
);
