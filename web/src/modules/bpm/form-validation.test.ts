import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, loadTexts, t } from '../../i18n/i18n';
import { translateFormMessage } from './form-validation';

const uz = (key: Parameters<typeof t>[0], params?: Parameters<typeof t>[1]) => t(key, params, 'uz');

beforeAll(() => Promise.all(LOCALES.map(loadTexts)));
describe('translateFormMessage', () => {
  it("turns form-js's English messages into the reader's language, with their numbers", () => {
    expect(translateFormMessage('Field is required.', uz)).toBe(t('bpm.form.required', undefined, 'uz'));
    expect(translateFormMessage('Field must have minimum value of 1.', uz)).toBe(
      t('bpm.form.min', { value: '1' }, 'uz'),
    );
    expect(translateFormMessage('Field must have maximum length of 20.', uz)).toContain('20');
  });

  it('keeps a message the model wrote itself', () => {
    expect(translateFormMessage('Enter the contract number as AB-123', uz)).toBe(
      'Enter the contract number as AB-123',
    );
  });
});
