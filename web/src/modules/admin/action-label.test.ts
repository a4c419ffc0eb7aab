import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, loadTexts, translator } from '../../i18n/i18n';
import { actionLabel, entityLabel, fieldLabel, valueLabel } from './action-label';

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

describe('fieldLabel', () => {
  it('labels a field as the module’s forms do, else as the shell’s, else not at all', () => {
    expect(fieldLabel(translator('ru'), 'erp.createProduct', 'sku')).toBe('Артикул');
    expect(fieldLabel(translator('en'), 'admin.createUser', 'email')).toBe('E-mail');
    expect(fieldLabel(translator('en'), 'crm', 'noSuchField')).toBeNull();
  });
});

describe('valueLabel', () => {
  it('names coded values as the module’s screens do, and leaves free text and unknown codes alone', () => {
    expect(valueLabel(translator('en'), 'erp.postDraft', 'status', 'posted')).toBe('Posted');
    expect(valueLabel(translator('uz'), 'crm.moveDealStage', 'stage', 'won')).toBe('Yutilgan');
    expect(valueLabel(translator('en'), 'erp', 'status', 'Posted by hand')).toBeNull();
    expect(valueLabel(translator('en'), 'erp', 'status', 'frozen')).toBeNull();
    expect(valueLabel(translator('en'), 'erp', 'quantity', 5)).toBeNull();
  });
});
