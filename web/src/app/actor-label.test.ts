import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, loadTexts, translator } from '../i18n/i18n';
import { actingProcess, actorLabel } from './actor-label';

beforeAll(() => Promise.all(LOCALES.map(loadTexts)));
describe('actorLabel', () => {
  const { t } = translator('uz');
  it('reads a process step as "Process", other system work as "System", people by name', () => {
    expect(actorLabel('system for bpm instance 1594fa8f-f8e6-4cef-a4ad-c17347d426f5', t)).toBe('Jarayon');
    expect(actorLabel('system for the outbox', t)).toBe('Tizim');
    expect(actorLabel('Nodira Alimova', t)).toBe('Nodira Alimova');
    expect(actorLabel(null, t)).toBeNull();
  });

  it('finds the process instance behind a process step, and none behind anyone else', () => {
    expect(actingProcess('system for bpm instance 1594fa8f-f8e6-4cef-a4ad-c17347d426f5')).toBe(
      '1594fa8f-f8e6-4cef-a4ad-c17347d426f5',
    );
    expect(actingProcess('system for the outbox')).toBeNull();
    expect(actingProcess('Nodira Alimova')).toBeNull();
    expect(actingProcess(null)).toBeNull();
  });
});
