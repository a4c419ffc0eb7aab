import { describe, expect, it } from 'vitest';
import confirmShipment from '../../../../workflows/confirm-shipment.form?raw';
import leaveRequest from '../../../../workflows/leave-request.form?raw';
import type { FormSchema } from './api';
import { localizeForm } from './localize-form';

// The forms that ship in workflows/, as text.
const SHIPPED: Record<string, FormSchema> = {
  'leave-request': JSON.parse(leaveRequest) as FormSchema,
  'confirm-shipment': JSON.parse(confirmShipment) as FormSchema,
};

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

  it('translates the date and time labels of a datetime field and the column labels of a table', () => {
    const form: FormSchema = {
      id: 'leave-request',
      components: [
        {
          id: 'from',
          type: 'datetime',
          subtype: 'datetime',
          key: 'from',
          dateLabel: 'From',
          timeLabel: 'At',
        },
        {
          id: 'lines',
          type: 'table',
          label: 'Lines',
          dataSource: '=lines',
          columns: [
            { label: 'Product', key: 'product' },
            { label: 'Untranslated', key: 'other' },
          ],
        },
      ],
      translations: { ru: { From: 'С', At: 'Время', Lines: 'Строки', Product: 'Товар' } },
    };
    const [from, lines] = localizeForm(form, 'ru').components ?? [];
    expect(from).toMatchObject({ dateLabel: 'С', timeLabel: 'Время', key: 'from' });
    expect(lines?.label).toBe('Строки');
    expect(lines?.columns).toEqual([
      { label: 'Товар', key: 'product' },
      { label: 'Untranslated', key: 'other' },
    ]);
    expect(form.components?.[1]?.columns).toEqual([
      { label: 'Product', key: 'product' },
      { label: 'Untranslated', key: 'other' },
    ]);
  });

  it('translates the shipped forms wherever they name a text', () => {
    for (const schema of Object.values(SHIPPED)) {
      const ru = JSON.stringify(localizeForm(schema, 'ru').components);
      const words = (schema.translations as Record<string, Record<string, string>>).ru ?? {};
      // Every English text the form translates is gone from the Russian form.
      for (const english of Object.keys(words)) expect(ru).not.toContain(`"${english}"`);
    }
  });

  it('leaves a form without translations for the language as it is', () => {
    expect(localizeForm(FORM, 'ru')).toBe(FORM);
    expect(localizeForm({ id: 'plain', components: [] }, 'uz')).toEqual({ id: 'plain', components: [] });
  });
});
