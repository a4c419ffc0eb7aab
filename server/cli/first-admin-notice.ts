import type { FirstAdmin } from '../accounts/bootstrap.js';

/** What the console says when the first administrator was just created. */
export function firstAdminNotice(admin: FirstAdmin, url: string): string[] {
  const lines = [
    '',
    'First start: an administrator account was created.',
    `  Open ${url} and sign in as ${admin.email}`,
  ];
  if (admin.generated) {
    lines.push(
      `  Password: ${admin.password}`,
      '  This password is shown only once. Change it under Profile after signing in,',
      '  or set ADMIN_EMAIL and ADMIN_PASSWORD before the first start to choose your own.',
    );
  } else {
    lines.push('  with the password from ADMIN_PASSWORD.');
  }
  return lines;
}
