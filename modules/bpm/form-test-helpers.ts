// Helpers for the form and inbox tests: multipart deployments and small form-js schemas.
import { randomBytes } from 'node:crypto';
import type { TestSuite } from '../../server/testing/test-suite.js';

export type Upload = { name: string; content: string };

/** POST /api/bpm/deployments as multipart/form-data, one part per file. */
export async function deployFiles(t: TestSuite, files: Upload[], cookie = t.admin.cookie) {
  const boundary = `----onebox${randomBytes(8).toString('hex')}`;
  const parts = files.map(
    (f) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n${f.content}\r\n`,
  );
  const body = `${parts.join('')}--${boundary}--\r\n`;
  return t.request('POST', '/api/bpm/deployments', {
    cookie,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
}

/** A form-js schema with the given components. */
export const formJson = (id: string, components: unknown[]) =>
  JSON.stringify({ id, type: 'default', schemaVersion: 16, components });

export const textField = (key: string, required = false, extra: Record<string, unknown> = {}) => ({
  type: 'textfield',
  key,
  label: key,
  ...(required && { validate: { required: true } }),
  ...extra,
});
