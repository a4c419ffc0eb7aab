/**
 * A stored phone (E.164) as people in Uzbekistan read it: "+998901234567" becomes
 * "+998 90 123 45 67" (non-breaking spaces, so a number never wraps); other numbers as stored.
 */
export function formatPhone(phone: string): string {
  const uz = /^\+998(\d{2})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return uz ? ['+998', uz[1], uz[2], uz[3], uz[4]].join('\u00a0') : phone;
}
