import { ProviderError } from './errors.ts';
import { providerRequest, type HttpPolicy } from './http.ts';

/**
 * A Kiwix server's catalog (kiwix-serve's OPDS v2 feed, `GET /catalog/v2/entries?start=&count=`):
 * an Atom feed, one `<entry>` per ZIM book with its `urn:uuid:` id, title, summary, language, the
 * `text/html` link where it is read and an `http://opds-spec.org/image/thumbnail` link; OpenSearch's
 * `<totalResults>` says how many there are. Read page by page until all are seen.
 */
export interface KiwixBook {
  externalId: string;
  title: string;
  description: string | null;
  language: string | null;
  /** Absolute: where a reader opens it. */
  url: string;
  thumbnailUrl: string | null;
}

export const KIWIX_PAGE_SIZE = 50;
/** A catalog longer than this is read no further (a runaway feed must not page forever). */
const MAX_PAGES = 200;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** XML text: entities decoded (kiwix-serve is known to emit a bare `&` in hrefs, kept as it is). */
const decode = (text: string) =>
  text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) =>
      name[0] === '#'
        ? String.fromCodePoint(name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10))
        : (ENTITIES[name] ?? whole),
    )
    .trim();

const element = (xml: string, name: string) => {
  const found = xml.match(new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${name}>`));
  return found ? decode(found[1]!) : null;
};
const attribute = (tag: string, name: string) => {
  const found = tag.match(new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`));
  return found ? decode(found[2] ?? found[3] ?? '') : null;
};

/** The books of one feed page, with addresses made absolute against the server. */
export function parseKiwixFeed(xml: string, base: string): { books: KiwixBook[]; total: number | null } {
  if (!/<feed[\s>]/.test(xml)) throw new ProviderError('malformed', 'the Kiwix catalog is not an Atom feed');
  const books: KiwixBook[] = [];
  for (const [, entry] of xml.matchAll(/<entry(?:\s[^>]*)?>([\s\S]*?)<\/entry>/g)) {
    const id = element(entry!, 'id');
    const title = element(entry!, 'title');
    const links = [...entry!.matchAll(/<link\b[^>]*>/g)].map(([tag]) => tag);
    const page = links.find((tag) => attribute(tag, 'type') === 'text/html');
    const thumbnail = links.find((tag) => attribute(tag, 'rel') === 'http://opds-spec.org/image/thumbnail');
    if (!id || !title || !page || !attribute(page, 'href'))
      throw new ProviderError('malformed', 'a Kiwix catalog entry lacks its id, title or text/html link');
    const absolute = (href: string) => new URL(href, `${base}/`).toString();
    books.push({
      externalId: id.replace(/^urn:uuid:/i, ''),
      title,
      description: element(entry!, 'summary'),
      language: element(entry!, 'language'),
      url: absolute(attribute(page, 'href')!),
      thumbnailUrl: thumbnail && attribute(thumbnail, 'href') ? absolute(attribute(thumbnail, 'href')!) : null,
    });
  }
  const total = element(xml, 'totalResults');
  return { books, total: total !== null && /^\d+$/.test(total) ? Number(total) : null };
}

/** Every book of the catalog at `baseUrl` (the kiwix-serve root). */
export async function readKiwixCatalog(baseUrl: string, policy: HttpPolicy): Promise<KiwixBook[]> {
  const books: KiwixBook[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(`${baseUrl}/catalog/v2/entries`);
    url.searchParams.set('start', String(page * KIWIX_PAGE_SIZE));
    url.searchParams.set('count', String(KIWIX_PAGE_SIZE));
    const res = await providerRequest(url, { headers: { accept: 'application/atom+xml' } }, policy);
    if (res.status === 404) throw new ProviderError('not_found', `${url.host} has no OPDS catalog at /catalog/v2/entries`, { status: 404 });
    if (res.status === 401 || res.status === 403)
      throw new ProviderError('forbidden', `${url.host} refused to list its catalog (HTTP ${res.status})`, { status: res.status });
    if (res.status !== 200)
      throw new ProviderError('malformed', `${url.host} answered HTTP ${res.status} for its catalog`, { status: res.status });
    const { books: found, total } = parseKiwixFeed(res.body, baseUrl);
    books.push(...found);
    const done = total !== null ? books.length >= total : found.length < KIWIX_PAGE_SIZE;
    if (done || found.length === 0) return books;
  }
  return books;
}
