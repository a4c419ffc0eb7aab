import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api';
import { LOCALES, loadTexts, translator } from '../../i18n/i18n';
import { timelineHref } from './client-card';
import { eventSentence } from './ticket-events';
import { crmErrorMessage, type TicketEvent } from './tickets-api';

beforeAll(() => Promise.all(LOCALES.map(loadTexts)));

const event = (kind: TicketEvent['kind'], from: string | null, to: string | null): TicketEvent => ({
  id: 'e1',
  at: '2026-03-05T09:00:00.000Z',
  kind,
  from,
  to,
  text: null,
  actorName: 'Dilnoza',
});

describe('eventSentence', () => {
  it('names both statuses and both priorities in the reader’s language', () => {
    expect(eventSentence(event('status', 'new', 'inProgress'), translator('ru'))).toBe(
      'Статус изменён: Новое → В работе',
    );
    expect(eventSentence(event('status', 'waiting', 'resolved'), translator('uz'))).toBe(
      'Holat oʻzgardi: Mijoz javobi kutilmoqda → Hal qilindi',
    );
    expect(eventSentence(event('priority', 'normal', 'urgent'), translator('en'))).toBe(
      'Priority changed: Normal → Urgent',
    );
  });

  it('tells an assignment, a reassignment and a removed assignee apart', () => {
    const en = translator('en');
    expect(eventSentence(event('assigned', null, 'Aziz'), en)).toBe('Assigned to Aziz');
    expect(eventSentence(event('assigned', 'Aziz', 'Dilnoza'), en)).toBe('Assignee changed: Aziz → Dilnoza');
    expect(eventSentence(event('assigned', 'Aziz', null), en)).toBe('Assignee Aziz removed');
  });

  it('shows due times as the reader’s dates, and an unknown code as written', () => {
    const ru = translator('ru');
    const due = eventSentence(event('due', '2026-03-05T09:00:00.000Z', '2026-03-06T09:00:00.000Z'), ru);
    expect(due).toBe(
      `Срок перенесён: ${ru.formatDateTime('2026-03-05T09:00:00.000Z')} → ${ru.formatDateTime('2026-03-06T09:00:00.000Z')}`,
    );
    expect(eventSentence(event('status', 'new', 'archived'), translator('en'))).toBe(
      'Status changed: New → archived',
    );
  });
});

describe('an edit', () => {
  it('names the fields it changed as the form labels them', () => {
    expect(eventSentence(event('edited', null, 'subject,channel,dealId'), translator('ru'))).toBe(
      'Изменено: Тема, Канал, Сделка',
    );
    expect(eventSentence(event('edited', null, null), translator('en'))).toBe('Details edited');
  });
});

describe('crmErrorMessage', () => {
  it('names the statuses of a refused move in the reader’s language', () => {
    const error = new ApiError(422, 'TICKET_STATUS_INVALID', 'server words', {
      from: 'closed',
      to: 'inProgress',
    });
    expect(crmErrorMessage(error, translator('ru'))).toBe(
      'Обращение в статусе «Закрыто» нельзя перевести в «В работе». Карточка теперь показывает его текущий статус.',
    );
  });

  it('keeps the server’s words for a refused move without its statuses', () => {
    const error = new ApiError(422, 'TICKET_STATUS_INVALID', 'server words');
    expect(crmErrorMessage(error, translator('en'))).toBe('server words');
  });
});

describe('a ticket on the client timeline', () => {
  it('links to the request’s card', () => {
    expect(timelineHref({ type: 'ticket', id: 't 1' })).toBe('/crm/tickets/t%201');
  });
});
