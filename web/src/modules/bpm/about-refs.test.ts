import { describe, expect, it } from 'vitest';
import { aboutRefs } from './about-refs';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('aboutRefs', () => {
  it('finds what the shipped processes carry, in a fixed order', () => {
    expect(
      aboutRefs({ employeeId: A, dealId: B, clientId: A, shipmentId: B, dealTitle: 'Sement', lines: [] }),
    ).toEqual([
      { kind: 'client', id: A },
      { kind: 'deal', id: B },
      { kind: 'document', id: B },
      { kind: 'employee', id: A },
    ]);
  });

  it('shows one card per record and the write-off requester as an employee', () => {
    expect(aboutRefs({ shipmentId: A, documentId: A, requesterEmployeeId: B })).toEqual([
      { kind: 'document', id: A },
      { kind: 'employee', id: B },
    ]);
  });

  it('ignores what is not an id', () => {
    expect(aboutRefs({ clientId: null, dealId: 42, employeeId: 'Malika', documentId: '' })).toEqual([]);
  });
});
