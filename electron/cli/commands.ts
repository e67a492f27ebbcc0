// Each command: call the core's channels (the same ones the app uses), print, return the exit code.
import type { CardDetails } from '../../shared/atlas.ts';
import type { DeskCore } from '../core/contract.ts';
import type { Command } from './args.ts';
import { EXIT, UsageError, type ExitCode } from './errors.ts';
import {
  approveTable,
  failedJson,
  failedTable,
  historyJson,
  historyTable,
  jobsTable,
  RECOVERED,
  recoverTable,
  showText,
  syncText,
} from './format.ts';
import { approve, recover } from './recover.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export type DeskCommand = Exclude<Command, { name: 'help' } | { name: 'simulator' }>;

const json = (value: unknown) => JSON.stringify(value, null, 2);

export async function runCommand(
  command: DeskCommand,
  desk: DeskCore,
  io: Io,
  extra: {
    card?: CardDetails;
    signal?: AbortSignal;
    /** Training: remember staff marks so the next run (a fresh world) replays them. */
    rememberMarked?: (orderNos: string[]) => void;
    /** Training: remember staff's "the card was not charged" likewise. */
    rememberNotCharged?: (orderNo: string) => void;
  } = {},
): Promise<ExitCode> {
  const h = desk.handlers;
  switch (command.name) {
    case 'sync': {
      const status = await h['orders:sync']({});
      // Wrong credentials or a missing IP whitelist entry is configuration, not a partial result.
      if (status.error === 'unauthorized') throw new UsageError('Atlas refused the credentials (check ATLAS_CLIENT_ID, ATLAS_CLIENT_SECRET and the IP whitelist)');
      const failed = await h['orders:list']({ scope: 'failed' });
      const unpaid = await h['orders:list']({ scope: 'unpaid' });
      io.out(syncText(status, failed, unpaid.length));
      return status.error ? EXIT.partial : EXIT.ok;
    }
    case 'failed': {
      const orders = await h['orders:list']({ scope: 'failed' });
      if (command.includeUnpaid) orders.push(...(await h['orders:list']({ scope: 'unpaid' })));
      io.out(command.json ? json(orders.map(failedJson)) : failedTable(orders));
      return EXIT.ok;
    }
    case 'show': {
      const { order, timeline } = await h['orders:show']({ orderNo: command.orderNo });
      io.out(command.json ? json({ order, plan: order.plan, timeline }) : showText(order, timeline));
      return EXIT.ok;
    }
    case 'recover': {
      const results = await recover(desk, {
        orderNos: command.orderNos,
        method: command.method,
        timeoutMs: command.timeoutMs,
        ...(extra.card ? { card: extra.card } : {}),
        ...(extra.signal ? { signal: extra.signal } : {}),
        notice: (line) => io.err(line),
        // --json keeps stdout one JSON document: the approved amounts are in each result instead.
        ...(command.json ? {} : { approving: (line: string) => io.out(line) }),
      });
      io.out(command.json ? json(results) : recoverTable(results));
      if (!results.every((r) => RECOVERED.includes(r.outcome))) return EXIT.partial;
      // Paid is not ticketed: a script must be able to tell the two apart.
      return results.every((r) => r.outcome === 'ticketed') ? EXIT.ok : EXIT.ticketPending;
    }
    case 'approve': {
      const results = await approve(desk, {
        orderNos: command.orderNos,
        timeoutMs: command.timeoutMs,
        ...(extra.signal ? { signal: extra.signal } : {}),
        notice: (line) => io.err(line),
        ...(command.json ? {} : { approving: (line: string) => io.out(line) }),
      });
      io.out(command.json ? json(results) : approveTable(results));
      if (!results.every((r) => RECOVERED.includes(r.outcome))) return EXIT.partial;
      return results.every((r) => r.outcome === 'ticketed') ? EXIT.ok : EXIT.ticketPending;
    }
    case 'add': {
      const result = await h['orders:add']({ orderNos: command.orderNos, markFailed: command.markFailed });
      if (command.markFailed && result.added.length > 0) extra.rememberMarked?.(result.added);
      const lines = [`Added${command.markFailed ? ' (marked payment failed)' : ''}: ${result.added.join(' ') || 'none'}`];
      if (result.notFound.length > 0) lines.push(`Not found in Atlas: ${result.notFound.join(' ')}`);
      if (result.invalid.length > 0) lines.push(`Not order numbers: ${result.invalid.join(' ')}`);
      io.out(lines.join('\n'));
      return result.notFound.length + result.invalid.length > 0 ? EXIT.partial : EXIT.ok;
    }
    case 'acknowledge': {
      // Refused with a one-line reason unless the order really waits for this check.
      const order = await h['orders:acknowledge']({ orderNo: command.orderNo });
      io.out(`${order.orderNo}: marked as checked; it may be recovered again (now in ${order.category}).`);
      return EXIT.ok;
    }
    case 'confirm-not-charged': {
      // Refused with a one-line reason unless Atlas shows a card charge started on this unpaid order.
      const order = await h['orders:confirmNotCharged']({ orderNo: command.orderNo });
      extra.rememberNotCharged?.(order.orderNo);
      io.out(
        `${order.orderNo}: recorded that the card charge Atlas started took no money` +
          `${order.notChargedCheck?.by ? ` (by ${order.notChargedCheck.by})` : ''}; it may be recovered with deposit or another card.`,
      );
      return EXIT.ok;
    }
    case 'queue': {
      const jobs = await h['queue:list']({});
      io.out(command.json ? json(jobs) : jobsTable(jobs));
      return EXIT.ok;
    }
    case 'history': {
      const entries = await h['history:query'](command.since ? { since: command.since } : {});
      io.out(command.json ? json(entries.map(historyJson)) : historyTable(entries));
      return EXIT.ok;
    }
    case 'export-history': {
      const result = await h['history:export']({ separator: command.separator });
      io.out(`Wrote ${result.rows} orders to ${result.path ?? command.file}`);
      return EXIT.ok;
    }
  }
}
