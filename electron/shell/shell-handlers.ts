// Handlers for the channels the shell owns: env:get/diagnostics, settings:get/update/webhookAddresses,
// credentials:set/test/clear and the team database's credentials:*TeamDatabase.
import type { EnvironmentInfo, Handlers, Settings, ShellChannel, TeamTestResult, WebhookAddress } from '../../shared/ipc.ts';
import { DeskError } from '../core/desk-error.ts';
import { webhookBindAddresses } from '../core/webhook-receiver.ts';
import type { SecretBox, Credentials } from './secrets.ts';
import type { SettingsStore } from './settings.ts';
import type { TeamSecretBox } from './team-secret.ts';
import { TeamDbError } from '../team/team-errors.ts';
import { parseTeamUrl } from '../team/team-url.ts';
import { credentialTarget, isTraining } from './connection.ts';
import { testCredentials } from './credentials.ts';
import { targetChangeToConfirm } from './host-change.ts';
import type { TargetChange } from './host-change.ts';
import type { TeamChange } from './team-change.ts';
import type { WindowRecovered } from './renderer-recovery.ts';

export interface ShellContext {
  settings: SettingsStore;
  secrets: SecretBox;
  online: () => boolean;
  appVersion: string;
  paymentInFlight: () => boolean;
  /** Where the live core's unreadable database was moved aside, or null. */
  databaseRecoveredFrom: () => string | null;
  /** When main last reloaded the window after its renderer stopped, or null. */
  windowRecovered: () => WindowRecovered | null;
  /** The support text (diagnostics.ts), already redacted. */
  diagnostics: () => Promise<string>;
  copyToClipboard: (text: string) => void;
  /** One balance.do call with these credentials against the selected real environment. */
  probeCredentials: (credentials: Credentials, settings: Settings) => Promise<unknown>;
  /** Asks staff, in a native dialog from main, to confirm that Atlas calls go somewhere else; true = go ahead. */
  confirmTargetChange: (change: TargetChange) => Promise<boolean>;
  /** Re-points the client / swaps the core after a change; may refuse with DeskError('conflict'). */
  applyEnvironment: () => Promise<void>;
  /** Pushes env:changed to the renderer. */
  notifyEnvironment: (info: EnvironmentInfo) => void;
  /** Where the webhook receiver may listen (tests inject them); this machine's interfaces otherwise. */
  webhookAddresses?: () => readonly WebhookAddress[];
  /**
   * Team mode: where its URL is kept, how a URL is tried (connect + prepare the schema), and the
   * native question before the desk joins, switches or leaves a team database (true = go ahead).
   */
  team?: { secret: TeamSecretBox; check: (url: string) => Promise<unknown>; confirm: (change: TeamChange) => Promise<boolean> };
}

/** The saved credentials, only when they were entered for where calls go now. */
export function usableCredentials(ctx: Pick<ShellContext, 'settings' | 'secrets'>, settings: Settings = ctx.settings.get()): Credentials | null {
  return ctx.secrets.usableFor(credentialTarget(settings));
}

export function environmentInfo(
  ctx: Pick<ShellContext, 'settings' | 'secrets' | 'online' | 'appVersion' | 'databaseRecoveredFrom' | 'windowRecovered' | 'team'>,
): EnvironmentInfo {
  const settings = ctx.settings.get();
  const credentials = usableCredentials(ctx, settings);
  return {
    environment: settings.environment,
    training: isTraining(settings, credentials),
    online: ctx.online(),
    credentialsConfigured: credentials !== null,
    credentialsNeedReentry: credentials === null && ctx.secrets.get() !== null,
    secretStorage: ctx.secrets.storage(),
    settingsRecovered: ctx.settings.recovered,
    databaseRecoveredFrom: ctx.databaseRecoveredFrom(),
    windowRecovered: ctx.windowRecovered(),
    appVersion: ctx.appVersion,
    ...(ctx.team
      ? {
          teamDatabase: {
            configured: inTeam(ctx.team.secret),
            server: ctx.team.secret.server(),
            storage: ctx.team.secret.storage(),
            unreadable: ctx.team.secret.unreadable(),
          },
        }
      : {}),
  };
}

/** Settings that decide where Atlas calls go: changing one re-points the client. */
const CONNECTION_KEYS = ['environment', 'sandboxBaseUrl', 'productionBaseUrl', 'productionSearchBaseUrl', 'atlasProxy'] as const satisfies readonly (keyof Settings)[];

/** One word for Settings: why a team database URL does not work (TeamDbError kinds). */
async function tryTeamDatabase(check: (url: string) => Promise<unknown>, url: string | null): Promise<TeamTestResult> {
  if (!url) return 'bad_url';
  try {
    await check(url);
    return 'ok';
  } catch (error) {
    return error instanceof TeamDbError ? error.kind : 'error';
  }
}

export function createShellHandlers(ctx: ShellContext): Handlers<ShellChannel> {
  const guardPayment = () => {
    // The client reads its connection per request: changing it mid-payment would split one job
    // across two environments.
    if (ctx.paymentInFlight()) throw new DeskError('conflict', 'A payment is in flight; try again when it has finished.');
  };
  /** Staff confirm in main, or nothing changes; `to` null = leave the team. */
  const confirmTeam = async (team: NonNullable<ShellContext['team']>, to: string | null) => {
    // A stored URL this build cannot read still names a team the desk belongs to.
    const from = inTeam(team.secret) ? (team.secret.server() ?? '?') : null;
    if (!(await team.confirm({ from, to }))) throw new DeskError('cancelled', 'Staff kept the current team database; nothing was changed.');
    // The dialog may have been open for a while.
    guardPayment();
  };
  const changed = async () => {
    await ctx.applyEnvironment();
    const info = environmentInfo(ctx);
    ctx.notifyEnvironment(info);
    return info;
  };

  const webhookAddresses = () => [...(ctx.webhookAddresses ?? webhookBindAddresses)()];

  return {
    'env:get': async () => environmentInfo(ctx),
    'env:diagnostics': async () => {
      const text = await ctx.diagnostics();
      // Written by main: the window has no clipboard permission (every permission is denied).
      ctx.copyToClipboard(text);
      return { text };
    },
    'settings:get': async () => ctx.settings.get(),
    'settings:webhookAddresses': async () => webhookAddresses(),
    'settings:update': async (patch) => {
      const before = ctx.settings.get();
      // Loopback, or one address of this machine that staff picked from the list; never a wildcard.
      if (patch.webhook && patch.webhook.host !== before.webhook.host && !webhookAddresses().some((a) => a.address === patch.webhook?.host)) {
        throw new DeskError('invalid_request', `The webhook receiver cannot listen on ${patch.webhook.host}: pick loopback or an address of this computer.`, 'host_not_allowed');
      }
      const after: Settings = { ...before, ...patch };
      const touchesConnection = CONNECTION_KEYS.some((key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]));
      // The webhook receiver is started by the core, so changing it restarts the core like a connection change.
      const touchesWebhook = patch.webhook !== undefined && JSON.stringify(patch.webhook) !== JSON.stringify(before.webhook);
      if (touchesConnection || touchesWebhook) guardPayment();
      const change = targetChangeToConfirm(before, after, ctx.secrets.boundTo());
      if (change) {
        if (!(await ctx.confirmTargetChange(change))) throw new DeskError('cancelled', 'Staff kept the current Atlas address; nothing was changed.');
        // The dialog may have been open for a while.
        guardPayment();
      }
      const next = ctx.settings.update(patch);
      if (touchesConnection || touchesWebhook) await changed();
      return next;
    },
    'credentials:set': async ({ clientId, clientSecret }) => {
      guardPayment();
      // Bound to where calls go now: a later change of host or proxy does not carry it along.
      await ctx.secrets.set({ clientId, clientSecret }, credentialTarget(ctx.settings.get()));
      return changed();
    },
    'credentials:test': async () => {
      const settings = ctx.settings.get();
      const result = await testCredentials(usableCredentials(ctx, settings), (credentials) => ctx.probeCredentials(credentials, settings));
      return { result };
    },
    'credentials:clear': async () => {
      guardPayment();
      await ctx.secrets.clear();
      return changed();
    },
    'credentials:setTeamDatabase': async ({ url }) => {
      const team = teamOf(ctx);
      guardPayment();
      let to: string;
      try {
        to = parseTeamUrl(url).display;
      } catch (error) {
        // The message names what is wrong with the URL, never its password.
        if (error instanceof TeamDbError) throw new DeskError('invalid_request', error.message, 'bad_url');
        throw error;
      }
      await confirmTeam(team, to);
      await team.secret.set(url);
      // The core restarts with team mode (sandbox/production; Training never joins a team).
      return changed();
    },
    'credentials:testTeamDatabase': async ({ url }) => {
      const team = teamOf(ctx);
      return { result: await tryTeamDatabase(team.check, url ?? team.secret.get()) };
    },
    'credentials:clearTeamDatabase': async () => {
      const team = teamOf(ctx);
      guardPayment();
      if (inTeam(team.secret)) await confirmTeam(team, null);
      await team.secret.clear();
      return changed();
    },
  };
}

/** A team database is saved, readable or not: the desk belongs to that team until staff leave it. */
function inTeam(secret: TeamSecretBox): boolean {
  return secret.get() !== null || secret.unreadable();
}

function teamOf(ctx: ShellContext): NonNullable<ShellContext['team']> {
  if (!ctx.team) throw new DeskError('conflict', 'Team mode is not available in this build.');
  return ctx.team;
}
