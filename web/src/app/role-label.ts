// A role's name as people read it ("Kadrlar boʻlimi"), for a code the server hands on ("hr"):
// the built-in roles have names in every language, other codes are shown as they are.
import type { I18n } from '../i18n/i18n';

export function roleLabels(codes: readonly string[], tOr: I18n['tOr']): string {
  return codes.map((code) => tOr(`roles.${code}`, code)).join(', ');
}
