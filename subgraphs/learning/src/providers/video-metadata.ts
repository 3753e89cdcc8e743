import { ProviderError } from './errors.ts';
import { providerRequest, type HttpPolicy } from './http.ts';

/** What Pathway keeps of a video besides its address. */
export interface VideoMetadata {
  title: string;
  channelTitle: string | null;
  durationSeconds: number | null;
  description: string | null;
  thumbnailUrl: string | null;
}

/**
 * Where video metadata comes from. UnlockEdv2 shells out to yt-dlp, which is not available here;
 * this interface stands in for any source, and `youtubeDataApi` is the implementation used (the
 * tests point it at a local server answering as the API documents).
 */
export interface VideoMetadataSource {
  fetch(externalId: string): Promise<VideoMetadata>;
}

/** ISO-8601 durations as YouTube gives them (`PT1H2M3S`, `P1DT2H`) in seconds; null when unreadable. */
export function isoDurationSeconds(value: string | undefined): number | null {
  const found = value?.match(/^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/);
  if (!found) return null;
  const [, d = '0', h = '0', m = '0', s = '0'] = found;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s);
}

interface ApiVideo {
  id?: string;
  snippet?: {
    title?: string;
    description?: string;
    channelTitle?: string;
    thumbnails?: Record<string, { url?: string } | undefined>;
  };
  contentDetails?: { duration?: string };
}

/**
 * The YouTube Data API v3 (`GET {base}/youtube/v3/videos?part=snippet,contentDetails&id=…&key=…`):
 * `items[0].snippet` has the title, description, channel and thumbnails, `contentDetails.duration`
 * the ISO-8601 length; no item means no such (or no public) video.
 */
export function youtubeDataApi(baseUrl: string, apiKey: string | undefined, policy: HttpPolicy): VideoMetadataSource {
  return {
    async fetch(externalId) {
      const url = new URL(`${baseUrl.replace(/\/+$/, '')}/youtube/v3/videos`);
      url.searchParams.set('part', 'snippet,contentDetails');
      url.searchParams.set('id', externalId);
      if (apiKey) url.searchParams.set('key', apiKey);
      const res = await providerRequest(url, {}, policy);
      if (res.status === 400 || res.status === 401 || res.status === 403)
        throw new ProviderError('unauthorized', `${url.host} refused the metadata request (HTTP ${res.status}): check the API key`, {
          status: res.status,
        });
      if (res.status !== 200)
        throw new ProviderError('malformed', `${url.host} answered HTTP ${res.status} for video metadata`, { status: res.status });
      let body: { items?: ApiVideo[] };
      try {
        body = JSON.parse(res.body) as { items?: ApiVideo[] };
      } catch {
        throw new ProviderError('malformed', `${url.host} answered with something that is not JSON`);
      }
      if (!Array.isArray(body.items)) throw new ProviderError('malformed', `${url.host} answered without an items list`);
      const video = body.items.find((item) => item.id === externalId) ?? body.items[0];
      if (!video) throw new ProviderError('not_found', `no public video ${externalId}`);
      if (!video.snippet?.title) throw new ProviderError('malformed', `video ${externalId} came without a title`);
      const thumbs = video.snippet.thumbnails ?? {};
      return {
        title: video.snippet.title,
        channelTitle: video.snippet.channelTitle ?? null,
        durationSeconds: isoDurationSeconds(video.contentDetails?.duration),
        description: video.snippet.description ?? null,
        thumbnailUrl: (thumbs.high ?? thumbs.medium ?? thumbs.default)?.url ?? null,
      };
    },
  };
}
