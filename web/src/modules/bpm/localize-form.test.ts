import { describe, expect, it } from 'vitest';
import type { FormSchema } from './api';
import { localizeForm } from './localize-form';

const FORM: FormSchema = {
  id: 'leave-approval',
  components: [
    {
      id: 'decision',
      type: 'radio',
      key: 'decision',
      label: 'Decision',
      values: [
        { label: 'Approve', value: 'approve' },
        { label: 'Reject', value: 'reject' },
      ],
    },
    {
      id: 'group',
      type: 'group',
      components: [{ id: 'note', key: 'note', label: 'Note', description: 'Why' }],
    },
  ],
  translations: { uz: { Decision: 'Qaror', Approve: 'Tasdiqlash', Note: 'Izoh' } },
};

describe('localizeForm', () => {
  it('replaces the texts the form translates, inside groups and options too, and keeps the rest', () => {
    const uz = localizeForm(FORM, 'uz');
    const [decision, group] = uz.components ?? [];
    expect(decision?.label).toBe('Qaror');
    expect(decision?.values).toEqual([
      { label: 'Tasdiqlash', value: 'approve' },
      { label: 'Reject', value: 'reject' },
    ]);
    expect(group?.components?.[0]).toMatchObject({ label: 'Izoh', description: 'Why', key: 'note' });
    // The original stays as it was: the form can be drawn again in another language.
    expect(FORM.components?.[0]?.label).toBe('Decision');
  });

  it('leaves a form without translations for the language as it is', () => {
    expect(localizeForm(FORM, 'ru')).toBe(FORM);
    expect(localizeForm({ id: 'plain', components: [] }, 'uz')).toEqual({ id: 'plain', components: [] });
  });
});
