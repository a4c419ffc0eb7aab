import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, loadTexts, translator } from '../../i18n/i18n';
import { actionLabel } from './action-label';

beforeAll(() => Promise.all(LOCALES.map(loadTexts)));

describe('actionLabel', () => {
  it('names the shell’s actions and each module’s in the reader’s language, and leaves unknown codes as they are', () => {
    expect(actionLabel(translator('en'), 'admin.createUser')).toBe('User created');
    expect(actionLabel(translator('uz'), 'crm.createClient')).toBe('Mijoz yaratildi');
    expect(actionLabel(translator('ru'), 'erp.postDraft')).toMatch(/провед/i);
    expect(actionLabel(translator('en'), 'crm.noSuchThing')).toBe('crm.noSuchThing');
    expect(actionLabel(translator('en'), 'plain')).toBe('plain');
  });
});
