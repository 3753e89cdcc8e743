import { pino, type Logger } from 'pino';
import { currentRequestId } from './request-context.ts';

export type { Logger };

export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['*.password', '*.token', '*.refreshToken', '*.authorization', 'req.headers.authorization'], censor: '[redacted]' },
    // Every line written while a request (or a job it added) runs names that request.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  });
}
