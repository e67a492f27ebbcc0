// Joining, switching or leaving the team database decides whether this desk's payments are
// fenced by the team's claims (docs/money-safety.md, team mode), so staff confirm it in a native
// dialog from main — never by the window alone, which a compromised renderer or a script could
// drive to take the desk off the team. Like host-change.ts for where Atlas calls go.
import type { Language } from '../../shared/ipc.ts';
import { notificationText } from '../../shared/notification-text.ts';

/** Team databases by host:port/database (never the password); null = none. */
export interface TeamChange {
  from: string | null;
  to: string | null;
}

/** The question, in the staff's language. Index 0 keeps the current team database: the default and what Esc picks. */
export function teamChangeDialog(language: Language, change: TeamChange) {
  const { from, to } = change;
  const message =
    from === null ? notificationText(language, 'teamJoin', { to: to ?? '' })
    : to === null ? notificationText(language, 'teamLeave', { from })
    : notificationText(language, 'teamSwitch', { from, to });
  return {
    type: 'warning' as const,
    buttons: [notificationText(language, 'teamKeep', {}), notificationText(language, 'teamApply', {})],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
    title: notificationText(language, 'teamTitle', {}),
    message,
    detail: notificationText(language, 'teamRisk', {}),
  };
}
