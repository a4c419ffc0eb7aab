// Who did something, as people read it: a step of a business process acts as the system "for bpm
// instance <id>" (the server's audit name, which keeps the instance for admins); people read
// "Process".
import type { I18n } from '../i18n/i18n';

const PROCESS_ACTOR = /^system for bpm instance ([0-9a-f-]{36})$/;

export function actorLabel(name: string | null | undefined, t: I18n['t']): string | null {
  if (!name) return null;
  if (PROCESS_ACTOR.test(name)) return t('actor.process');
  if (name === 'system' || name.startsWith('system for ')) return t('audit.system');
  return name;
}

/** The process instance a step of which acted, from the audit name; null for anyone else. */
export function actingProcess(name: string | null | undefined): string | null {
  return name ? (PROCESS_ACTOR.exec(name)?.[1] ?? null) : null;
}
