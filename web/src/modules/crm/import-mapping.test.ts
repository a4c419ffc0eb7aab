import { describe, expect, it } from 'vitest';
import { guessField, guessMapping, mappingProblem } from './import-mapping';

describe('guessField', () => {
  it('reads headers in English, Uzbek and Russian', () => {
    expect(guessField('Name')).toBe('name');
    expect(guessField('Nomi')).toBe('name');
    expect(guessField('Наименование')).toBe('name');
    expect(guessField('E-mail')).toBe('emails');
    expect(guessField('Telefon raqami')).toBe('phones');
    expect(guessField('Телефон')).toBe('phones');
    expect(guessField('INN')).toBe('taxId');
    expect(guessField('STIR')).toBe('taxId');
    expect(guessField('Viloyat')).toBe('region');
    expect(guessField('Адрес')).toBe('address');
    expect(guessField('Web site')).toBe('website');
  });
  it('answers null for headers it does not know', () => {
    expect(guessField('Column 7')).toBeNull();
    expect(guessField('')).toBeNull();
  });
});

describe('guessMapping', () => {
  it('prefers the server, gives each field to one column, fills the rest', () => {
    expect(
      guessMapping(['Company', 'Name', 'Phone', 'Mobile', 'Whatever'], { Company: 'name', Name: null }),
    ).toEqual({ Company: 'name', Name: null, Phone: 'phones', Mobile: null, Whatever: null });
  });
  it('needs a name column', () => {
    expect(mappingProblem({ a: 'phones' })).toBe('NAME_MISSING');
    expect(mappingProblem({ a: 'name' })).toBeNull();
  });
});
