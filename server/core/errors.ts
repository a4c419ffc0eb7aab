// Errors are values with a stable code that the API, the BPM engine (as BPMN error codes)
// and the web app (as translated messages) all share.

export type ErrorDetails = Record<string, unknown>;

export type Issue = { path: string; message: string };

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetails | undefined;
  /** Values for the translated message template, e.g. { field: 'email' }. */
  readonly params: Record<string, string | number>;
  /** A business error (a rule said no) as opposed to a technical failure. */
  readonly business: boolean;

  constructor(
    status: number,
    code: string,
    options: { message?: string; details?: ErrorDetails; params?: Record<string, string | number> } = {},
  ) {
    super(options.message ?? code);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = options.details;
    this.params = options.params ?? {};
    this.business = status < 500;
  }
}

export const unauthenticated = () => new AppError(401, 'UNAUTHENTICATED');
export const forbidden = (permission?: string) =>
  new AppError(403, 'FORBIDDEN', { details: permission ? { permission } : undefined });
export const notFound = (entity: string, id?: string) =>
  new AppError(404, 'NOT_FOUND', { details: { entity, id }, params: { entity } });
export const validationFailed = (issues: Issue[]) =>
  new AppError(400, 'VALIDATION_FAILED', { details: { issues } });
/** A conflict with the current state: 409 with a specific code. */
export const conflict = (code: string, details?: ErrorDetails, params?: Record<string, string | number>) =>
  new AppError(409, code, { details, params });
/** A business rule refused the request: 422 with a specific code. */
export const ruleViolation = (
  code: string,
  details?: ErrorDetails,
  params?: Record<string, string | number>,
) => new AppError(422, code, { details, params });

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Unique-violation SQLSTATE, on pg and PGlite alike. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code !== '23505') return false;
  return !constraint || e.constraint === constraint || String(e.message).includes(constraint);
}
