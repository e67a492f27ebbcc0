// A settings change that moves where Atlas calls go (docs/money-safety.md rule 14) is confirmed by
// staff in a native dialog from main — never by the window alone, which a compromised renderer or
// a persuasive caller could drive. The secret never follows the change: it stays bound to the
// target it was entered for (secrets.ts), so staff enter it again for the new one.
import type { Language, Settings } from '../../shared/ipc.ts';
import { notificationText } from '../../shared/notification-text.ts';
import { credentialTarget } from './connection.ts';
import { sameTarget } from './secrets.ts';
import type { CredentialTarget } from './secrets.ts';

export interface TargetChange {
  to: CredentialTarget;
  /** The new target is the agency proxy, not an Atlas host. */
  viaProxy: boolean;
  /** The target the saved secret is bound to, when it will no longer be sent. */
  savedFor: CredentialTarget | null;
}

/**
 * What staff must confirm when settings go from `before` to `next`, or null: nothing to confirm when
 * the target stays, or when it moves between Atlas hosts with no saved secret that would be withheld.
 */
export function targetChangeToConfirm(before: Settings, next: Settings, boundTo: CredentialTarget | null): TargetChange | null {
  const to = credentialTarget(next);
  if (sameTarget(credentialTarget(before), to)) return null;
  const viaProxy = next.atlasProxy.enabled;
  const savedFor = boundTo !== null && !sameTarget(boundTo, to) ? boundTo : null;
  return viaProxy || savedFor ? { to, viaProxy, savedFor } : null;
}

/** The question, in the staff's language. Index 0 keeps the current address: the default and what Esc picks. */
export function hostChangeDialog(language: Language, change: TargetChange) {
  const to = change.to.baseUrl;
  const detail = [
    change.viaProxy ? notificationText(language, 'proxyWarning', {}) : null,
    change.savedFor ? notificationText(language, 'secretDetail', { from: change.savedFor.baseUrl }) : null,
  ].filter((line): line is string => line !== null);
  return {
    type: 'warning' as const,
    buttons: [notificationText(language, 'hostKeep', {}), notificationText(language, 'hostChange', {})],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
    title: notificationText(language, 'hostTitle', {}),
    message: change.viaProxy ? notificationText(language, 'proxyMessage', { to }) : notificationText(language, 'hostMessage', { to }),
    detail: detail.join('\n\n'),
  };
}
