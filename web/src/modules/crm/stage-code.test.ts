import { expect, it } from 'vitest';
import { stageCode } from './stage-code';

it('makes a server-valid, unique code from any stage name', () => {
  expect(stageCode('Demo sent', new Set())).toBe('demo_sent');
  expect(stageCode('Shartnoma imzolandi!', new Set())).toBe('shartnoma_imzolandi');
  expect(stageCode('Договор', new Set())).toBe('stage');
  expect(stageCode('Договор', new Set(['stage', 'stage_2']))).toBe('stage_3');
  expect(stageCode('2-bosqich', new Set())).toBe('s_2_bosqich');
  expect(stageCode('Qoʻngʻiroq', new Set(['qo_ng_iroq']))).toBe('qo_ng_iroq_2');
  for (const code of [stageCode('x'.repeat(80), new Set()), stageCode('   ', new Set())])
    expect(code).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
});
