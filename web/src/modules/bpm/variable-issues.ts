// The server's answer to a completed task with wrong data, as messages by variable (form field key).
import { ApiError } from '../../app/api';

const VARIABLE_PATH = /^variables\.([^.[\]]+)/;

/** `details.issues` of a 400 whose paths are `variables.<key>`, by key (the first message of each). */
export function variableIssues(error: unknown): Record<string, string> {
  const byKey: Record<string, string> = {};
  if (!(error instanceof ApiError)) return byKey;
  for (const issue of error.issues) {
    const key = VARIABLE_PATH.exec(issue.path)?.[1];
    if (key && !byKey[key]) byKey[key] = issue.message;
  }
  return byKey;
}
