// The OS login running the app, recorded on every timeline event beside the staff name typed in
// Settings (a shared front-desk PC may keep one staff name for everyone; the OS login tells them apart).
import { userInfo } from 'node:os';

/** The login name, or null where the OS cannot say (e.g. no passwd entry for the uid). */
export function osAccountName(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}
