import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-context.ts';

export type { Logger };

/** A process's logger: JSON lines on stdout (or `destination`), secrets redacted, the request's id on each. */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      redact: { paths: ['*.password', '*.token', '*.refreshToken', '*.authorization', 'req.headers.authorization'], censor: '[redacted]' },
      // Every line written while a request (or a job it added) runs names that request.
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    destination,
  );
}
