import { randomUUID } from 'node:crypto';
import { Busboy } from '@fastify/busboy';
import type { Express, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { errorBody, hasPermission, stageUpload, unpackUpload, UPLOAD_MAX_BYTES, type Logger, type Redis } from '@pathway/kit';
import type { RequestAuthenticator } from './identity.ts';
import type { RateLimits } from './rate-limits.ts';

/**
 * `POST /uploads/student-imports`: a CSV file (plain or gzip) as `multipart/form-data`, one part
 * named `file`, up to 20 MB once unpacked. The gateway stages it (kit uploads.ts) and answers its
 * `uploadId`, which startStudentImport / importStudents take instead of the file's text; GraphQL's
 * own requests stay JSON under the 1 MB limit. Only those who may import (behavior.student.manage)
 * may stage a file, and only for themselves.
 */

const FIELD = 'file';
/** Generous over 20 MB, so a file over the limit is told apart from a cut-off upload. */
const SENT_MAX_BYTES = UPLOAD_MAX_BYTES + 1;

class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The one file part, read whole (at most SENT_MAX_BYTES). */
function readFilePart(req: Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let busboy;
    try {
      busboy = Busboy({
        headers: req.headers as { 'content-type': string },
        limits: { files: 1, fields: 0, parts: 1, fileSize: SENT_MAX_BYTES },
      });
    } catch {
      return reject(new UploadError(415, 'BAD_REQUEST', 'Send the file as multipart/form-data, in a part named `file`.'));
    }
    let file: Buffer | null = null;
    let failure: UploadError | null = null;
    busboy.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on(
        'limit',
        () => (failure = new UploadError(413, 'BAD_REQUEST', 'The file is larger than 20 MB. Split it into smaller files.')),
      );
      stream.on('end', () => {
        if (name === FIELD) file = Buffer.concat(chunks);
        else failure ??= new UploadError(400, 'BAD_REQUEST', `Name the file's part \`${FIELD}\`, not \`${name}\`.`);
      });
    });
    const extra = () => (failure ??= new UploadError(400, 'BAD_REQUEST', `Send one part only: the file, named \`${FIELD}\`.`));
    busboy.on('partsLimit', extra).on('filesLimit', extra).on('fieldsLimit', extra);
    busboy.on('error', () => reject(new UploadError(400, 'BAD_REQUEST', 'The multipart body could not be read.')));
    busboy.on('finish', () => {
      if (failure) return reject(failure);
      if (!file || file.length === 0) return reject(new UploadError(400, 'BAD_REQUEST', `No file: send it in a part named \`${FIELD}\`.`));
      resolve(file);
    });
    req.pipe(busboy);
  });
}

export function serveUploads(
  app: Express,
  options: { authenticator: RequestAuthenticator; rateLimits: RateLimits; redis: Redis; log: Logger },
): void {
  const { authenticator, rateLimits, redis, log } = options;
  app.post('/uploads/student-imports', rateLimits.floodGuard(), async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'private, no-store');
    try {
      const session = await authenticator.session(req.headers.authorization);
      if (!session) throw new UploadError(401, 'UNAUTHENTICATED', 'Sign in first: send `Authorization: Bearer <token>`.');
      if (!hasPermission(session.identity, 'behavior.student.manage'))
        throw new UploadError(403, 'FORBIDDEN', 'Only those who import student records may upload their files.');
      // An upload weighs like ten requests: it is bigger than most.
      await rateLimits.takeRequest(session.identity, 10);
      const content = unpackUpload(await readFilePart(req));
      if (content === 'too large') throw new UploadError(413, 'BAD_REQUEST', 'The file is larger than 20 MB once unpacked.');
      if (content === 'not gzip') throw new UploadError(400, 'BAD_REQUEST', 'The file starts like gzip but is not gzip data.');
      res.status(201).json(await stageUpload(redis, session.identity, 'student-imports', content));
    } catch (error) {
      if (error instanceof UploadError) return void res.status(error.status).json(errorBody(error.message, error.code));
      // The authenticator's and rate limits' refusals carry their own code and HTTP status.
      if (error instanceof GraphQLError && typeof error.extensions.code === 'string') {
        const status = (error.extensions.http as { status?: number } | undefined)?.status ?? 400;
        const retry = error.extensions.retryAfterSeconds;
        if (retry !== undefined) res.setHeader('retry-after', String(retry));
        return void res.status(status).json({ errors: [{ message: error.message, extensions: { code: error.extensions.code } }] });
      }
      const errorId = randomUUID();
      log.error({ err: error, errorId }, 'upload failed');
      res.status(500).json({
        errors: [
          {
            message: 'The upload could not be stored just now. Try again shortly.',
            extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
          },
        ],
      });
    }
  });
}
