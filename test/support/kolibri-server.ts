import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local server answering as Kolibri's REST API documents it, for sync tests through the gateway:
// a session opened by `POST /api/auth/session/` ({ username, password, facility }) and kept by
// cookie (403 without it), the facility, facility users in numbered pages ({ count, next, results }),
// the available channels (courses) and content summary logs per channel (progress).

export interface KolibriLearner {
  id: string;
  username: string;
  full_name: string;
  id_number: string | null;
}
export interface KolibriChannel {
  id: string;
  name: string;
  description: string;
  total_resource_count: number;
}
export interface KolibriLog {
  id: string;
  user: string;
  content_id: string;
  channel_id: string;
  kind: string;
  start_timestamp: string;
  end_timestamp: string;
  completion_timestamp: string | null;
  time_spent: number;
  progress: number;
}
export interface KolibriData {
  facility: { id: string; name: string };
  password: string;
  learners: KolibriLearner[];
  channels: KolibriChannel[];
  logs: KolibriLog[];
}
export interface FakeKolibri {
  url: string;
  data: KolibriData;
  /** Every request line seen, e.g. `GET /api/auth/facilityuser/?member_of=f1&page=1&page_size=100`. */
  requests: string[];
  close(): Promise<void>;
}

const PER_PAGE = 2;

export async function startFakeKolibri(data: KolibriData): Promise<FakeKolibri> {
  const requests: string[] = [];
  const sessions = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
      if (url.pathname === '/api/auth/session/' && req.method === 'POST') {
        const login = JSON.parse(body || '{}') as { username?: string; password?: string; facility?: string };
        if (login.password !== data.password || login.facility !== data.facility.id) return json(401, [{ id: 'INVALID_CREDENTIALS' }]);
        const sid = `s${sessions.size + 1}`;
        sessions.add(sid);
        return json(200, { id: 'admin-id', username: login.username }, { 'set-cookie': `kolibri=${sid}; Path=/; HttpOnly` });
      }
      const cookie = /kolibri=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
      if (!cookie || !sessions.has(cookie)) return json(403, { detail: 'Authentication credentials were not provided.' });
      const page = Number(url.searchParams.get('page') ?? 1);
      const numbered = <T>(items: T[], path: string) =>
        json(200, {
          count: items.length,
          next: page * PER_PAGE < items.length ? `${url.origin}${path}page=${page + 1}&page_size=${PER_PAGE}` : null,
          previous: null,
          results: items.slice((page - 1) * PER_PAGE, page * PER_PAGE),
        });
      if (url.pathname === `/api/auth/facility/${data.facility.id}/`) return json(200, data.facility);
      if (url.pathname === '/api/auth/facilityuser/' && url.searchParams.get('member_of') === data.facility.id)
        return numbered(data.learners, `/api/auth/facilityuser/?member_of=${data.facility.id}&`);
      if (url.pathname === '/api/content/channel/') return json(200, data.channels);
      if (url.pathname === '/api/logger/contentsummarylog/') {
        const channel = url.searchParams.get('channel_id') ?? '';
        return numbered(
          data.logs.filter((l) => l.channel_id === channel),
          `/api/logger/contentsummarylog/?channel_id=${channel}&`,
        );
      }
      json(404, { detail: 'Not found.' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    data,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
