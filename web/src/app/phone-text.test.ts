import { expect, it } from 'vitest';
import { formatPhone } from './phone-text';

it('groups an Uzbek number as it is read aloud, and leaves others as stored', () => {
  expect(formatPhone('+998901234567').replace(/\u00a0/g, ' ')).toBe('+998 90 123 45 67');
  expect(formatPhone('+74951234567')).toBe('+74951234567');
  expect(formatPhone('+99890123456')).toBe('+99890123456');
  expect(formatPhone('')).toBe('');
});
