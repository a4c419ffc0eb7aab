import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, loadTexts, tOr } from '../i18n/i18n';
import { roleLabels } from './role-label';

beforeAll(() => Promise.all(LOCALES.map(loadTexts)));
describe('roleLabels', () => {
  it('names built-in roles in the language and leaves other codes as they are', () => {
    const uz = (key: string, fallback: string) => tOr(key, fallback, undefined, 'uz');
    const ru = (key: string, fallback: string) => tOr(key, fallback, undefined, 'ru');
    expect(roleLabels(['hr', 'warehouse'], uz)).toBe('Kadrlar boʻlimi, Ombor xodimi');
    expect(roleLabels(['hr'], ru)).not.toBe('hr');
    expect(roleLabels(['night_shift'], uz)).toBe('night_shift');
    expect(roleLabels([], uz)).toBe('');
  });
});
