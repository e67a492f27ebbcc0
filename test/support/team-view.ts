// Team mode as one desk sees it, for component tests: what the team database reports about the
// other desks — their holds on order chains and their events — behind the core's TeamLink seam, the
// way the simulator stands in for Atlas. The desk core merges it into orders, timelines and the
// team status exactly as in team mode. This desk never wins a claim here: no money moves.
import type { TeamLink } from '../../electron/core/contract.ts';
import type { TeamHold, TimelineEvent } from '../../shared/desk.ts';
import type { TeamProblem, TeamStatus } from '../../shared/ipc.ts';

export interface TeamView extends TeamLink {
  /** Another desk takes the claim of a chain (its orders); this desk hears of it (LISTEN/NOTIFY). */
  holdChain(orderNos: string[], hold: TeamHold): void;
  /** Another desk's event on an order, as the team database keeps it. */
  addEvent(event: TimelineEvent): void;
  /** The team database stops answering for this reason. */
  lose(problem: TeamProblem): void;
}

export function teamView(server = '127.0.0.1:5432/team'): TeamView {
  const holds = new Map<string, TeamHold & { orderNos: string[] }>();
  const events: TimelineEvent[] = [];
  let problem: TeamProblem | null = null;
  let notify: { onRemoteChange: (orderNos: string[]) => void; onStatus: (status: TeamStatus) => void } | null = null;
  const status = (): TeamStatus => ({
    enabled: true,
    connected: problem === null,
    server,
    holds: [...holds.values()].map((h) => structuredClone(h)),
    ...(problem ? { problem } : {}),
  });
  const holderOf = (orderNo: string): TeamHold | null => {
    const hold = [...holds.values()].find((h) => h.orderNos.includes(orderNo));
    if (!hold) return null;
    const { orderNos: _chain, ...holder } = hold;
    return holder;
  };
  return {
    attach(local) {
      notify = local;
      const otherDesk = async (job: { currentOrderNo: string }) => {
        const holder = holderOf(job.currentOrderNo);
        return { held: false as const, holder: holder ? { deskId: holder.deskId, staff: holder.staff } : null, retryMs: 60_000 };
      };
      return { acquire: otherDesk, assertHeld: async (_jobId, step) => otherDesk({ currentOrderNo: step.orderNo }), reachable: async () => true };
    },
    ready: async () => {},
    jobSettled: () => {},
    acknowledged: () => {},
    holderOf,
    timeline: async (orderNos) => events.filter((e) => orderNos.includes(e.orderNo)).map((e) => structuredClone(e)),
    history: async () => [],
    status,
    detach: async () => {
      notify = null;
    },
    holdChain(orderNos, hold) {
      holds.set(hold.deskId, { ...hold, orderNos });
      notify?.onRemoteChange(orderNos);
      notify?.onStatus(status());
    },
    addEvent(event) {
      events.push(event);
      notify?.onRemoteChange([event.orderNo]);
    },
    lose(why) {
      problem = why;
      notify?.onStatus(status());
    },
  };
}
