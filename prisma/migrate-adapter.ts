// The driver adapter of the Prisma Migrate CLI (Prisma 6.19.3, engine 'js': no schema-engine download; migrate.config.ts).
// Works around adapter-pg bugs in the CLI, as verified in shared/recipes:
// - pg_catalog "char"/name columns it cannot map (prisma/orm#27403): reported as text;
// - executeScript() splitting $$ bodies on ';': scripts are sent whole;
// - the shadow database dropped before its pool closes.
// Each subgraph's schema gets its own search_path, so each has its own _prisma_migrations table.
import { PrismaPg } from 'prisma-migrate-adapter-pg';
import pg from 'pg';

type QueryResultLike = { fields?: { dataTypeID: number }[] };
const PG_CHAR = 18;
const PG_NAME = 19;
const PG_TEXT = 25;

function reportCatalogTypesAsText(result: unknown): void {
  for (const r of (Array.isArray(result) ? result : [result]) as QueryResultLike[])
    for (const field of r?.fields ?? []) if (field.dataTypeID === PG_CHAR || field.dataTypeID === PG_NAME) field.dataTypeID = PG_TEXT;
}

class CatalogSafeClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloaded query() signature
  override query(...args: any[]): any {
    const callback = args[args.length - 1];
    if (typeof callback === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => {
        if (!err) reportCatalogTypesAsText(res);
        callback(err, res);
      };
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args) as Promise<unknown> | undefined;
    return out && typeof out.then === 'function' ? out.then((res) => (reportCatalogTypesAsText(res), res)) : out;
  }
}

function poolConfig(url: string, schema: string, database?: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: database ?? u.pathname.slice(1),
    options: `-c search_path=${schema}`,
    Client: CatalogSafeClient,
    allowExitOnIdle: true,
  };
}

type Scriptable = { executeScript(script: string): Promise<void>; underlyingDriver(): unknown };
function sendScriptsWhole<T extends Scriptable>(adapter: T): T {
  adapter.executeScript = async (script: string) => {
    await (adapter.underlyingDriver() as pg.Pool).query(script);
  };
  return adapter;
}

export class MigrationAdapter extends PrismaPg {
  constructor(
    private readonly url: string,
    private readonly schema: string,
  ) {
    super(poolConfig(url, schema), { schema });
  }

  override async connect() {
    const adapter = sendScriptsWhole(await super.connect());
    await adapter.executeScript(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
    return adapter;
  }

  override async connectToShadowDb() {
    const admin = await this.connect();
    const database = `prisma_migrate_shadow_db_${crypto.randomUUID().replaceAll('-', '')}`;
    await admin.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = sendScriptsWhole(await new PrismaPg(poolConfig(this.url, this.schema, database), { schema: this.schema }).connect());
    await shadow.executeScript(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.dispose();
    };
    return shadow;
  }
}
