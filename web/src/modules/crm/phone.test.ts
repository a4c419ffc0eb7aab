import { describe, expect, it } from 'vitest';
import { normalisePhone, splitList, taxIdProblem } from './phone';

describe('normalisePhone', () => {
  it('assumes +998 for a 9-digit national number, however it is spaced', () => {
    expect(normalisePhone('90 123-45-67')).toBe('+998901234567');
    expect(normalisePhone('(90) 123 45 67')).toBe('+998901234567');
    expect(normalisePhone('901234567')).toBe('+998901234567');
  });
  it('keeps a country code that was typed', () => {
    expect(normalisePhone('+998 90 123 45 67')).toBe('+998901234567');
    expect(normalisePhone('998901234567')).toBe('+998901234567');
    expect(normalisePhone('00998901234567')).toBe('+998901234567');
    expect(normalisePhone('+7 916 123 45 67')).toBe('+79161234567');
  });
  it('refuses what cannot be a phone', () => {
    expect(normalisePhone('')).toBeNull();
    expect(normalisePhone('12345')).toBeNull();
    expect(normalisePhone('+998 90 123')).toBeNull();
    expect(normalisePhone('call me')).toBeNull();
  });
});

describe('taxIdProblem', () => {
  it('wants 9 digits for a company and 14 for a person', () => {
    expect(taxIdProblem('company', '123456789')).toBeNull();
    expect(taxIdProblem('company', '123 456 789')).toBeNull();
    expect(taxIdProblem('company', '12345678')).toBe('length');
    expect(taxIdProblem('person', '12345678901234')).toBeNull();
    expect(taxIdProblem('person', '123456789')).toBe('length');
    expect(taxIdProblem('person', '1234567890123a')).toBe('digits');
    expect(taxIdProblem('company', '')).toBeNull();
  });
});

describe('splitList', () => {
  it('splits on commas, semicolons and lines', () => {
    expect(splitList('a@x.uz, b@x.uz;c@x.uz\n d@x.uz ,')).toEqual(['a@x.uz', 'b@x.uz', 'c@x.uz', 'd@x.uz']);
  });
});
