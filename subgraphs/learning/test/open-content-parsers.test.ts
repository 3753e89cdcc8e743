import { describe, expect, it } from 'vitest';
import { parseKiwixFeed } from '../src/providers/kiwix.ts';
import { isoDurationSeconds } from '../src/providers/video-metadata.ts';
import { youtubeVideoId } from '../src/writes/open-content.ts';

const feed = (entries: string, total = '') => `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">${total}
${entries}
</feed>`;

describe('parseKiwixFeed (kiwix-serve OPDS v2)', () => {
  it('reads ids, titles, summaries, languages and absolute links, decoding XML entities', () => {
    const { books, total } = parseKiwixFeed(
      feed(
        `<entry>
          <id>urn:uuid:1f2e3d4c-0000-4000-8000-000000000001</id>
          <title>Wikipedia &amp; Friends &#233;dition</title>
          <summary><![CDATA[Offline <b>encyclopedia</b>]]></summary>
          <language>eng</language>
          <link rel="http://opds-spec.org/image/thumbnail" href="/catalog/v2/illustration/1f2e/?size=48" type="image/png"/>
          <link rel="http://opds-spec.org/acquisition/open-access" type="application/x-zim" href="https://download.kiwix.org/x.zim"/>
          <link type='text/html' href='/content/wikipedia_en_all'/>
        </entry>`,
        '<totalResults>7</totalResults>',
      ),
      'http://kiwix:3000',
    );
    expect(total).toBe(7);
    expect(books).toEqual([
      {
        externalId: '1f2e3d4c-0000-4000-8000-000000000001',
        title: 'Wikipedia & Friends édition',
        description: 'Offline <b>encyclopedia</b>',
        language: 'eng',
        url: 'http://kiwix:3000/content/wikipedia_en_all',
        thumbnailUrl: 'http://kiwix:3000/catalog/v2/illustration/1f2e/?size=48',
      },
    ]);
  });

  it('refuses what is not a feed, and entries without their id, title or page', () => {
    expect(() => parseKiwixFeed('<html>maintenance</html>', 'http://k')).toThrow(/not an Atom feed/);
    expect(() => parseKiwixFeed(feed('<entry><id>urn:uuid:x</id><title>T</title></entry>'), 'http://k')).toThrow(/text\/html link/);
    expect(parseKiwixFeed(feed(''), 'http://k')).toEqual({ books: [], total: null });
  });
});

describe('youtubeVideoId', () => {
  it.each([
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42', 'dQw4w9WgXcQ'],
    ['https://youtu.be/dQw4w9WgXcQ', 'dQw4w9WgXcQ'],
    ['https://m.youtube.com/shorts/dQw4w9WgXcQ', 'dQw4w9WgXcQ'],
    ['https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ', 'dQw4w9WgXcQ'],
    ['https://vimeo.com/dQw4w9WgXcQ', null],
    ['https://youtu.be/short', null],
    ['not a url', null],
  ])('%s → %s', (url, id) => expect(youtubeVideoId(url)).toBe(id));
});

describe('isoDurationSeconds', () => {
  it('reads YouTube durations', () => {
    expect(isoDurationSeconds('PT12M5S')).toBe(725);
    expect(isoDurationSeconds('PT1H')).toBe(3600);
    expect(isoDurationSeconds('P1DT2H3M4S')).toBe(93784);
    expect(isoDurationSeconds('P0D')).toBe(0);
    expect(isoDurationSeconds('12:05')).toBeNull();
    expect(isoDurationSeconds(undefined)).toBeNull();
  });
});
