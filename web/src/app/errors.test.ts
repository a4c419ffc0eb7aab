import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, loadTexts, translator } from '../i18n/i18n';
import ru from '../i18n/ru.json';
import uz from '../i18n/uz.json';
import { ApiError } from './api';
import { errorMessage, fieldOfPath } from './errors';

beforeAll(() => Promise.all(LOCALES.map(loadTexts)));
describe('errorMessage', () => {
  it('prefers our own sentence for a known code', () => {
    const error = new ApiError(401, 'INVALID_CREDENTIALS', 'server words');
    expect(errorMessage(error, translator('ru'))).toBe(ru['errors.INVALID_CREDENTIALS']);
    expect(errorMessage(error, translator('uz'))).toBe(uz['errors.INVALID_CREDENTIALS']);
  });

  it('fills in the seconds to wait when rate limited', () => {
    const error = new ApiError(429, 'RATE_LIMITED', '', { retryAfterSeconds: 42 });
    expect(errorMessage(error, translator('en'))).toBe('Too many attempts. Try again in 42 seconds.');
  });

  it("falls back to the server's translated message for codes it does not know", () => {
    const error = new ApiError(422, 'DEAL_STAGE_INVALID', 'Сделку нельзя выиграть без строк.');
    expect(errorMessage(error, translator('ru'))).toBe('Сделку нельзя выиграть без строк.');
  });

  it('says something general for anything else', () => {
    expect(errorMessage(new Error('boom'), translator('ru'))).toBe(ru['errors.generic']);
    expect(errorMessage(new ApiError(502, 'SOMETHING', ''), translator('uz'))).toBe(uz['errors.generic']);
  });
});

describe('fieldOfPath', () => {
  it('takes the first segment of an issue path', () => {
    expect(fieldOfPath('roles.0')).toBe('roles');
    expect(fieldOfPath('email')).toBe('email');
  });
});
