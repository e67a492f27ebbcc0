// Handlers for the channels the shell owns: env:get, settings:get/update, credentials:set/test/clear.
import type { EnvironmentInfo, Handlers, Settings, ShellChannel, TeamTestResult } from '../../shared/ipc.ts';
import { DeskError } from '../core/desk-error.ts';
import type { SecretBox, Credentials } from './secrets.ts';
import type { SettingsStore } from './settings.ts';
import type { TeamSecretBox } from './team-secret.ts';
import { TeamDbError } from '../team/team-errors.ts';
import { isTraining } from './connection.ts';
import { testCredentials } from './credentials.ts';

export interface ShellContext {
  settings: SettingsStore;
  secrets: SecretBox;
  online: () => boolean;
  appVersion: string;
  paymentInFlight: () => boolean;
  /** Where the live core's unreadable database was moved aside, or null. */
  databaseRecoveredFrom: () => string | null;
  /** One balance.do call with these credentials against the selected real environment. */
  probeCredentials: (credentials: Credentials, settings: Settings) => Promise<unknown>;
  /** Re-points the client / swaps the core after a change; may refuse with DeskError('conflict'). */
  applyEnvironment: () => Promise<void>;
  /** Pushes env:changed to the renderer. */
  notifyEnvironment: (info: EnvironmentInfo) => void;
  /** Team mode: where its URL is kept and how a URL is tried (connect + prepare the schema). */
  team?: { secret: TeamSecretBox; check: (url: string) => Promise<unknown> };
}

export function environmentInfo(
  ctx: Pick<ShellContext, 'settings' | 'secrets' | 'online' | 'appVersion' | 'databaseRecoveredFrom' | 'team'>,
): EnvironmentInfo {
  const settings = ctx.settings.get();
  const credentials = ctx.secrets.get();
  return {
    environment: settings.environment,
    training: isTraining(settings, credentials),
    online: ctx.online(),
    credentialsConfigured: credentials !== null,
    secretStorage: ctx.secrets.storage(),
    settingsRecovered: ctx.settings.recovered,
    databaseRecoveredFrom: ctx.databaseRecoveredFrom(),
    appVersion: ctx.appVersion,
    ...(ctx.team
      ? { teamDatabase: { configured: ctx.team.secret.get() !== null, server: ctx.team.secret.server(), storage: ctx.team.secret.storage() } }
      : {}),
  };
}

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
  const changed = async () => {
    await ctx.applyEnvironment();
    const info = environmentInfo(ctx);
    ctx.notifyEnvironment(info);
    return info;
  };

  return {
    'env:get': async () => environmentInfo(ctx),
    'settings:get': async () => ctx.settings.get(),
    'settings:update': async (patch) => {
      const before = ctx.settings.get();
      const touchesConnection =
        (patch.environment !== undefined && patch.environment !== before.environment) ||
        (patch.sandboxBaseUrl !== undefined && patch.sandboxBaseUrl !== before.sandboxBaseUrl) ||
        (patch.productionBaseUrl !== undefined && patch.productionBaseUrl !== before.productionBaseUrl);
      // The webhook receiver is started by the core, so changing it restarts the core like a connection change.
      const touchesWebhook = patch.webhook !== undefined && JSON.stringify(patch.webhook) !== JSON.stringify(before.webhook);
      if (touchesConnection || touchesWebhook) guardPayment();
      const next = ctx.settings.update(patch);
      if (touchesConnection || touchesWebhook) await changed();
      return next;
    },
    'credentials:set': async ({ clientId, clientSecret }) => {
      guardPayment();
      await ctx.secrets.set({ clientId, clientSecret });
      return changed();
    },
    'credentials:test': async () => {
      const result = await testCredentials(ctx.secrets.get(), (credentials) => ctx.probeCredentials(credentials, ctx.settings.get()));
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
      try {
        await team.secret.set(url);
      } catch (error) {
        // The message names what is wrong with the URL, never its password.
        if (error instanceof TeamDbError) throw new DeskError('invalid_request', error.message, 'bad_url');
        throw error;
      }
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
      await team.secret.clear();
      return changed();
    },
  };
}

function teamOf(ctx: ShellContext): NonNullable<ShellContext['team']> {
  if (!ctx.team) throw new DeskError('conflict', 'Team mode is not available in this build.');
  return ctx.team;
}
