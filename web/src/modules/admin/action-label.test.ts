import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, loadTexts, translator } from '../../i18n/i18n';
import { actionLabel, entityLabel } from './action-label';

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

describe('entityLabel', () => {
  it('names the kinds of records by the shell or by the module that wrote them, given the module or its action', () => {
    expect(entityLabel(translator('en'), 'admin', 'user')).toBe('User');
    expect(entityLabel(translator('uz'), 'crm.createClient', 'client')).toBe('Mijoz');
    expect(entityLabel(translator('ru'), 'erp', 'stockDocument')).toBe('Складской документ');
    expect(entityLabel(translator('en'), 'hr.hireEmployee', 'hr.employee')).toBe('Employee');
    expect(entityLabel(translator('en'), 'bpm', 'no_such_kind')).toBe('no_such_kind');
  });
});
