// The contract's channel and push names as plain data, for the sandboxed preload: importing
// shared/ipc.ts for real would bundle zod into it. The type checks below make drift a compile
// error in both directions (a name missing here, or a name the contract does not have).
import type { Channel, Push } from '../../shared/ipc.ts';

export const CHANNEL_NAMES = [
  'env:get',
  'env:diagnostics',
  'orders:list',
  'orders:show',
  'orders:add',
  'orders:acknowledge',
  'orders:confirmNotCharged',
  'orders:sync',
  'sync:status',
  'recovery:plan',
  'recovery:previewDeposit',
  'recovery:deposit',
  'recovery:card',
  'recovery:approve',
  'queue:list',
  'queue:cancel',
  'queue:provideCard',
  'queue:lease',
  'queue:pace',
  'webhook:status',
  'webhook:rotateToken',
  'team:status',
  'storage:status',
  'storage:check',
  'balance:get',
  'history:query',
  'history:export',
  'reports:summary',
  'reports:export',
  'settings:get',
  'settings:update',
  'settings:webhookAddresses',
  'credentials:set',
  'credentials:test',
  'credentials:clear',
  'update:status',
  'update:restart',
  'credentials:setTeamDatabase',
  'credentials:testTeamDatabase',
  'credentials:clearTeamDatabase',
] as const satisfies readonly Channel[];

export const PUSH_NAMES = ['orders:changed', 'queue:changed', 'queue:leaseChanged', 'queue:paceChanged', 'sync:changed', 'env:changed', 'update:changed', 'team:changed', 'storage:changed'] as const satisfies readonly Push[];

type Missing<All, Listed> = Exclude<All, Listed>;
// Each line fails to compile when the contract gains a name that is not listed above.
const _allChannelsListed: [Missing<Channel, (typeof CHANNEL_NAMES)[number]>] extends [never] ? true : never = true;
const _allPushesListed: [Missing<Push, (typeof PUSH_NAMES)[number]>] extends [never] ? true : never = true;
void _allChannelsListed;
void _allPushesListed;
