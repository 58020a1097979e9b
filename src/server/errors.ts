/**
 * One closed set of error codes, thrown by services and mapped to HTTP status in one place (app.ts).
 * Messages say what was wrong and where (field, file, line); `messageEn` carries the English text.
 */
export const ERROR_STATUS = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA: 415,
  LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorIssue {
  /** Field path, or file:line, or row/column. */
  where: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { messageEn?: string; issues?: ErrorIssue[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string, id: string) =>
  new AppError('NOT_FOUND', `找不到${what}：${id}`, { messageEn: `${what} not found: ${id}` });
export const forbidden = (messageEn = 'You may not do this') =>
  new AppError('FORBIDDEN', '您沒有執行此操作的權限', { messageEn });
export const validation = (issues: ErrorIssue[], message = '輸入資料有誤') =>
  new AppError('VALIDATION', `${message}：${issues.map((issue) => `${issue.where} ${issue.message}`).join('；')}`, {
    messageEn: `Invalid input: ${issues.map((issue) => `${issue.where}: ${issue.message}`).join('; ')}`,
    issues,
  });
export const conflict = (message: string, messageEn: string) => new AppError('CONFLICT', message, { messageEn });
export const invalidState = (message: string, messageEn: string) =>
  new AppError('INVALID_STATE', message, { messageEn });
