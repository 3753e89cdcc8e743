import { createContext, useContext, useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Answer } from './session.ts';

/** Posts an operation as the signed-in person (App provides it). */
export type Call = <T>(query: string, variables?: Record<string, unknown>) => Promise<Answer<T>>;
export const CallContext = createContext<Call | null>(null);

/** A `Count` is a number, or "<5" below the small-count threshold (README: Small counts). */
type Count = number | string;
interface PeriodCount {
  period: string;
  count: Count;
}

const TRENDS = `query WorkspaceTrends($from: DateTime, $to: DateTime) {
  identityStats(from: $from, to: $to) { signInsByMonth { period count } }
  learningStats(from: $from, to: $to) { enrollmentsByMonth { period count } }
}`;

const REPORTS = [
  { name: 'program-outcomes', label: 'Program outcomes', query: 'query ProgramOutcomesCsv { report: programOutcomesReport { csv } }' },
  {
    name: 'facility-comparison',
    label: 'Facility comparison',
    query:
      'query FacilityComparisonCsv($from: DateTime!, $to: DateTime!) { report: facilityComparisonReport(from: $from, to: $to) { csv } }',
  },
] as const;

/** The months from `from` to `to` (YYYY-MM, inclusive), so months with nothing show as 0, not as a gap in the axis. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (
    let [y, m] = from.split('-').map(Number) as [number, number];
    `${y}-${String(m).padStart(2, '0')}` <= to;
    m === 12 ? (y++, (m = 1)) : m++
  )
    months.push(`${y}-${String(m).padStart(2, '0')}`);
  return months;
}

/** Below the small-count threshold the exact figure is withheld: such a month is drawn pale, at the threshold's upper bound. */
const SUPPRESSED_HEIGHT = 4;

/** One row per month with each series' count (`<name>`, the bar's height), its text (`<name>Label`: "12", "<5") and whether it is withheld. */
export function trendRows(months: string[], series: Record<string, PeriodCount[] | undefined>) {
  return months.map((period) => {
    const row: Record<string, string | number | boolean> = { period };
    for (const [name, counts] of Object.entries(series)) {
      const count = counts?.find((c) => c.period === period)?.count ?? 0;
      row[name] = typeof count === 'number' ? count : SUPPRESSED_HEIGHT;
      row[`${name}Label`] = String(count);
      row[`${name}Suppressed`] = typeof count !== 'number';
    }
    return row;
  });
}

const SERIES = [
  { key: 'signIns', name: 'Sign-ins', color: '#3b6ea8', pale: '#b9cde4' },
  { key: 'enrollments', name: 'Course enrollments', color: '#d9822b', pale: '#f1cfa8' },
] as const;

const thisMonth = () => new Date().toISOString().slice(0, 7);
const monthsAgo = (n: number) => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 7);
};
/** [first day of `from`, first day of the month after `to`) as DateTimes. */
const range = (from: string, to: string) => {
  const end = new Date(`${to}-01T00:00:00Z`);
  end.setUTCMonth(end.getUTCMonth() + 1);
  return { from: `${from}-01T00:00:00Z`, to: end.toISOString() };
};

function download(name: string, csv: string) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  link.download = `${name}-${new Date().toISOString().slice(0, 10)}.csv`;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** The analyst's workspace, a GraphiQL plugin: trends by month of the aggregate queries, and the reports as CSV. */
export function Workspace() {
  const call = useContext(CallContext);
  const [from, setFrom] = useState(monthsAgo(11));
  const [to, setTo] = useState(thisMonth());
  const [rows, setRows] = useState<ReturnType<typeof trendRows>>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    if (!call || from > to) return;
    let current = true;
    void call<{ identityStats: { signInsByMonth: PeriodCount[] } | null; learningStats: { enrollmentsByMonth: PeriodCount[] } | null }>(
      TRENDS,
      range(from, to),
    ).then((answer) => {
      if (!current) return;
      // A denied series stays local: the other still charts, and the bar says which one and why.
      setProblems((answer.errors ?? []).map((e) => `${e.path?.[0] ?? 'query'}: ${e.message}`));
      setRows(
        trendRows(monthsBetween(from, to), {
          signIns: answer.data?.identityStats?.signInsByMonth,
          enrollments: answer.data?.learningStats?.enrollmentsByMonth,
        }),
      );
    });
    return () => void (current = false);
  }, [call, from, to]);

  const saveCsv = async (report: (typeof REPORTS)[number]) => {
    if (!call) return;
    setStatus(`Fetching ${report.label}…`);
    const answer = await call<{ report: { csv: string } | null }>(report.query, range(from, to));
    if (answer.data?.report) {
      download(report.name, answer.data.report.csv);
      setStatus(`Saved ${report.label} (${answer.data.report.csv.trimEnd().split('\n').length - 1} rows).`);
    } else setStatus(`${report.label}: ${answer.errors?.[0]?.message ?? 'no answer'}`);
  };

  if (!call) return <div className="pathway-workspace">Sign in to use the workspace.</div>;
  return (
    <div className="pathway-workspace" data-testid="workspace">
      <div className="graphiql-doc-explorer-title">Workspace</div>
      <h3>Trends by month</h3>
      <div className="pathway-range">
        <label>
          from <input type="month" aria-label="From month" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          to <input type="month" aria-label="To month" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <div data-testid="trend-chart">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="period" fontSize={11} tickFormatter={(p: string) => p.slice(2)} />
            <YAxis allowDecimals={false} fontSize={11} />
            <Tooltip formatter={(_value, name, item) => [String(item.payload[`${String(item.dataKey)}Label`]), name]} />
            <Legend />
            {SERIES.map((series) => (
              <Bar key={series.key} dataKey={series.key} name={series.name} fill={series.color} isAnimationActive={false}>
                {rows.map((row) => (
                  <Cell key={String(row.period)} fill={row[`${series.key}Suppressed`] ? series.pale : series.color} />
                ))}
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {problems.map((p) => (
        <p key={p} role="alert" className="pathway-problem">
          {p}
        </p>
      ))}
      <table className="pathway-trend-table" data-testid="trend-table">
        <thead>
          <tr>
            <th>month</th>
            <th>sign-ins</th>
            <th>enrollments</th>
          </tr>
        </thead>
        <tbody>
          {rows
            .filter((r) => r.signInsLabel !== '0' || r.enrollmentsLabel !== '0')
            .map((r) => (
              <tr key={String(r.period)}>
                <td>{r.period}</td>
                <td>{r.signInsLabel}</td>
                <td>{r.enrollmentsLabel}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <p className="pathway-hint">Counts of 1 to 4 people read "&lt;5": their bars are pale, drawn at 4 (the exact figure is withheld).</p>
      <h3>Reports as CSV</h3>
      <div className="pathway-reports">
        {REPORTS.map((report) => (
          <button key={report.name} type="button" onClick={() => void saveCsv(report)}>
            Download {report.label} CSV
          </button>
        ))}
      </div>
      {status && (
        <p role="status" data-testid="csv-status">
          {status}
        </p>
      )}
    </div>
  );
}

export function WorkspaceIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M4 20V4M4 20h16M8 16v-5M12 16V8M16 16v-3" strokeLinecap="round" />
    </svg>
  );
}

export const workspacePlugin = { title: 'Workspace', icon: WorkspaceIcon, content: Workspace };
