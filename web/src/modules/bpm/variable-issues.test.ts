import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api';
import { variableIssues } from './variable-issues';

describe('variableIssues', () => {
  it('gives each variable named by a 400 its first message, nested paths under their variable', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'Check the data', {
      issues: [
        { path: 'variables.quantity', message: 'Fill in this field.' },
        { path: 'variables.quantity', message: 'A second message' },
        { path: 'variables.address.city', message: 'Enter the city.' },
        { path: 'id', message: 'Not a task id' },
      ],
    });
    expect(variableIssues(error)).toEqual({ quantity: 'Fill in this field.', address: 'Enter the city.' });
  });

  it('finds nothing in other errors', () => {
    expect(variableIssues(new ApiError(409, 'BPM_TASK_COMPLETED', 'Done already'))).toEqual({});
    expect(variableIssues(new Error('network'))).toEqual({});
  });
});
