import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Identity } from './identity.ts';
import type { Redis } from './redis.ts';

/**
 * Files sent to the gateway as a multipart upload (`POST /uploads/<purpose>`) wait here, in the one
 * Redis every process shares, until a mutation names them by id (e.g. a student import's
 * `uploadId`). A staged file belongs to the person who sent it, for one purpose, for an hour: anyone
 * else's id, or an expired one, reads as nothing. Kept gzip-compressed; read again as often as
 * needed within the hour (a dry run, then the import).
 */

export const UPLOAD_TTL_SECONDS = 3600;
/** The most a staged file may hold (once unpacked): the CSV import's own limit. */
export const UPLOAD_MAX_BYTES = 20 * 1024 * 1024;
export type UploadPurpose = 'student-imports';

const keyOf = (id: string) => `pathway:uploads:${id}`;
const ownerOf = (who: Pick<Identity, 'tenantId' | 'userId'>, purpose: UploadPurpose) => `${who.tenantId}:${who.userId}:${purpose}`;

export interface StagedUpload {
  uploadId: string;
  bytes: number;
  sha256: string;
  expiresAt: string;
}

export async function stageUpload(
  redis: Redis,
  who: Pick<Identity, 'tenantId' | 'userId'>,
  purpose: UploadPurpose,
  content: Buffer,
): Promise<StagedUpload> {
  const uploadId = randomUUID();
  await redis
    .multi()
    .hset(keyOf(uploadId), { owner: ownerOf(who, purpose), data: gzipSync(content) })
    .expire(keyOf(uploadId), UPLOAD_TTL_SECONDS)
    .exec();
  return {
    uploadId,
    bytes: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    expiresAt: new Date(Date.now() + UPLOAD_TTL_SECONDS * 1000).toISOString(),
  };
}

/** The caller's own staged file for `purpose`, or null (none, expired, someone else's). */
export async function readUpload(redis: Redis, identity: Identity, purpose: UploadPurpose, uploadId: string): Promise<Buffer | null> {
  const [owner, data] = await redis.hmgetBuffer(keyOf(uploadId), 'owner', 'data');
  if (!owner || !data || owner.toString('utf8') !== ownerOf(identity, purpose)) return null;
  return gunzipSync(data);
}

/** A file as sent: gzip (by its magic bytes) is unpacked, up to `UPLOAD_MAX_BYTES`; otherwise why not. */
export function unpackUpload(content: Buffer): Buffer | 'too large' | 'not gzip' {
  const gzip = content.length >= 2 && content[0] === 0x1f && content[1] === 0x8b;
  if (!gzip) return content.length > UPLOAD_MAX_BYTES ? 'too large' : content;
  try {
    return gunzipSync(content, { maxOutputLength: UPLOAD_MAX_BYTES });
  } catch (error) {
    const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger/.test(String(error));
    return tooLarge ? 'too large' : 'not gzip';
  }
}
