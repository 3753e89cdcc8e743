// Local stand-ins for open content's sources: a Kiwix server's OPDS catalog (kiwix-serve's
// `/catalog/v2/entries?start=&count=` Atom feed, OpenSearch totalResults) and the YouTube Data API
// v3 `videos` endpoint, both answering as documented, with scripted faults.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KiwixBookFixture {
  id: string;
  title: string;
  summary?: string;
  language?: string;
  name: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface FakeKiwix {
  url: string;
  books: KiwixBookFixture[];
  /** Answer the next `n` catalog requests with HTTP 500 (more than the client's tries: the read fails). */
  failNext(n: number): void;
  /** Answer the next catalog request with something that is not a feed. */
  garbleNext(): void;
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeKiwix(books: KiwixBookFixture[]): Promise<FakeKiwix> {
  let failures = 0;
  let garble = false;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://kiwix');
    requests.push(`${url.pathname}${url.search}`);
    if (url.pathname !== '/catalog/v2/entries') return void res.writeHead(404).end('not found');
    if (failures > 0) return void (failures--, res.writeHead(500).end('internal error'));
    if (garble) return void ((garble = false), res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>'));
    const start = Number(url.searchParams.get('start') ?? 0);
    const count = Number(url.searchParams.get('count') ?? 10);
    const page = fake.books.slice(start, start + count);
    const entries = page
      .map(
        (b) => `  <entry>
    <id>urn:uuid:${b.id}</id>
    <title>${escape(b.title)}</title>
    <updated>2026-11-01T00:00:00Z</updated>
    <summary>${escape(b.summary ?? '')}</summary>
    <language>${b.language ?? 'eng'}</language>
    <name>${b.name}</name>
    <link rel="http://opds-spec.org/image/thumbnail" href="/catalog/v2/illustration/${b.id}/?size=48" type="image/png;width=48;height=48;scale=1"/>
    <link type="text/html" href="/content/${b.name}" />
  </entry>`,
      )
      .join('\n');
    res.writeHead(200, { 'content-type': 'application/atom+xml;profile=opds-catalog;kind=acquisition' }).end(
      `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/terms/" xmlns:opds="https://specs.opds.io/opds-1.2">
  <id>00000000-0000-0000-0000-000000000000</id>
  <title>All zims</title>
  <updated>2026-11-01T00:00:00Z</updated>
  <totalResults>${fake.books.length}</totalResults>
  <startIndex>${start}</startIndex>
  <itemsPerPage>${page.length}</itemsPerPage>
${entries}
</feed>`,
    );
  });
  const fake: FakeKiwix = {
    url: await listen(server),
    books,
    failNext: (n) => void (failures = n),
    garbleNext: () => void (garble = true),
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return fake;
}

export interface YoutubeVideoFixture {
  title: string;
  channelTitle: string;
  description: string;
  /** ISO-8601, as the API gives it (e.g. PT4M13S). */
  duration: string;
}

export interface FakeYoutube {
  url: string;
  videos: Map<string, YoutubeVideoFixture>;
  requests: string[];
  close(): Promise<void>;
}

/** `GET /youtube/v3/videos?part=snippet,contentDetails&id=…`: `{ items: [...] }`, empty for an unknown id. */
export async function startFakeYoutube(): Promise<FakeYoutube> {
  const videos = new Map<string, YoutubeVideoFixture>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://youtube');
    requests.push(`${url.pathname}${url.search}`);
    if (url.pathname !== '/youtube/v3/videos') return void res.writeHead(404).end();
    const id = url.searchParams.get('id') ?? '';
    const video = videos.get(id);
    const items = video
      ? [
          {
            kind: 'youtube#video',
            id,
            snippet: {
              title: video.title,
              description: video.description,
              channelTitle: video.channelTitle,
              thumbnails: {
                default: { url: `https://i.ytimg.com/vi/${id}/default.jpg` },
                high: { url: `https://i.ytimg.com/vi/${id}/hqdefault.jpg` },
              },
            },
            contentDetails: { duration: video.duration },
          },
        ]
      : [];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'youtube#videoListResponse', items }));
  });
  return { url: await listen(server), videos, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
