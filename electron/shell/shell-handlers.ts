// Handlers for the channels the shell owns: env:get, settings:get/update, credentials:set/test/clear.
import type { EnvironmentInfo, Handlers, Settings, ShellChannel, WebhookAddress } from '../../shared/ipc.ts';
import { DeskError } from '../core/desk-error.ts';
import { webhookBindAddresses } from '../core/webhook-receiver.ts';
import type { SecretBox, Credentials } from './secrets.ts';
import type { SettingsStore } from './settings.ts';
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
  /** Where the webhook receiver may listen (tests inject them); this machine's interfaces otherwise. */
  webhookAddresses?: () => readonly WebhookAddress[];
}

export function environmentInfo(
  ctx: Pick<ShellContext, 'settings' | 'secrets' | 'online' | 'appVersion' | 'databaseRecoveredFrom'>,
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
  };
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

  const webhookAddresses = () => [...(ctx.webhookAddresses ?? webhookBindAddresses)()];

  return {
    'env:get': async () => environmentInfo(ctx),
    'settings:get': async () => ctx.settings.get(),
    'settings:webhookAddresses': async () => webhookAddresses(),
    'settings:update': async (patch) => {
      const before = ctx.settings.get();
      // Loopback, or one address of this machine that staff picked from the list; never a wildcard.
      if (patch.webhook && patch.webhook.host !== before.webhook.host && !webhookAddresses().some((a) => a.address === patch.webhook?.host)) {
        throw new DeskError('invalid_request', `The webhook receiver cannot listen on ${patch.webhook.host}: pick loopback or an address of this computer.`, 'host_not_allowed');
      }
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
  };
}
