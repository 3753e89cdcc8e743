import { withScope, type JobDefinitions } from '@pathway/kit';
import type { LearningDeps } from './context.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { describeProviderError } from './providers/errors.ts';
import { providerSettings } from './providers/settings.ts';
import { youtubeDataApi } from './providers/video-metadata.ts';
import { scrapeKiwix, type RunTx } from './writes/kiwix.ts';

/** Open content's background jobs (UnlockEdv2's scrape_kiwix, sync_video_metadata, retry_video_downloads). */
export type ContentJobs = {
  /** Daily: reads the OPDS catalog of every enabled Kiwix provider. */
  'content.kiwix.scrape': Record<string, never>;
  /** Fetches one video's metadata: `processing` becomes `available`, or `has_error` with the reason. */
  'content.video.metadata': { videoId: string };
  /** Every 30 minutes: videos left `processing` (a lost job) and failed ones with tries left get their job again. */
  'content.video.retry': Record<string, never>;
};

/** A failed video is tried again by the periodic job this many times in all (then only `retryVideo`). */
export const MAX_VIDEO_ATTEMPTS = 3;
const DEFAULT_YOUTUBE_API = 'https://www.googleapis.com';

export const serviceRun =
  (prisma: PrismaClient): RunTx =>
  (fn) =>
    withScope(prisma, 'service', fn);

export function contentJobs(deps: LearningDeps): JobDefinitions<ContentJobs> {
  const settings = providerSettings(deps.config);
  const run = serviceRun(deps.prisma);
  return {
    'content.kiwix.scrape': {
      schedule: { cron: '0 2 * * *', payload: {} },
      run: async (_payload, job) => {
        const providers = await run((tx) => tx.openContentProvider.findMany({ where: { kind: 'kiwix', currentlyEnabled: true } }));
        for (const provider of providers) {
          const result = await scrapeKiwix(run, provider, { ...settings, signal: job.signal });
          deps.log.info({ providerId: provider.id, ...result }, 'kiwix catalog read');
        }
      },
    },
    'content.video.metadata': {
      key: (payload) => payload.videoId,
      concurrency: 2,
      run: async ({ videoId }, job) => {
        const video = await run((tx) => tx.video.findUnique({ where: { id: videoId }, include: { provider: true } }));
        if (!video || video.availability !== 'processing') return;
        const source = youtubeDataApi(video.provider.apiUrl ?? DEFAULT_YOUTUBE_API, deps.config.YOUTUBE_API_KEY, {
          ...settings,
          signal: job.signal,
        });
        try {
          const metadata = await source.fetch(video.externalId);
          await run((tx) =>
            tx.video.update({
              where: { id: video.id },
              data: { ...metadata, availability: 'available', attempts: { increment: 1 }, lastError: null, lastAttemptAt: new Date() },
            }),
          );
        } catch (error) {
          const { kind, message } = describeProviderError(error);
          if (kind === 'cancelled') throw error;
          await run((tx) =>
            tx.video.update({
              where: { id: video.id },
              data: { availability: 'has_error', attempts: { increment: 1 }, lastError: `${kind}: ${message}`, lastAttemptAt: new Date() },
            }),
          );
        }
      },
    },
    'content.video.retry': {
      schedule: { cron: '*/30 * * * *', payload: {} },
      run: async () => {
        const stale = new Date(Date.now() - 10 * 60_000);
        const due = await run(async (tx) => {
          const failed = await tx.video.findMany({
            where: { availability: 'has_error', attempts: { lt: MAX_VIDEO_ATTEMPTS } },
            select: { id: true },
          });
          if (failed.length)
            await tx.video.updateMany({ where: { id: { in: failed.map((v) => v.id) } }, data: { availability: 'processing' } });
          const lost = await tx.video.findMany({
            where: {
              availability: 'processing',
              OR: [{ lastAttemptAt: null }, { lastAttemptAt: { lt: stale } }],
              createdAt: { lt: stale },
            },
            select: { id: true },
          });
          return [...failed, ...lost];
        });
        if (due.length)
          await deps.jobs.addBulk(
            'content.video.metadata',
            due.map((v) => ({ videoId: v.id })),
          );
      },
    },
  };
}
