// `pnpm backup dump <dir>` / `pnpm backup restore <dir>`: PostgreSQL with pg_dump/pg_restore (custom
// format: schemas, rows, Row-Level Security policies and grants) and MongoDB as Extended JSON, one
// file per collection, with its indexes. README, Operations: backups says when to use this and when
// mongodump/mongorestore (production MongoDB, point-in-time with the oplog).
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { BSON, MongoClient, type Document, type IndexDescription } from 'mongodb';
import { loadConfig, mongoUrl, postgresUrl, runProcess } from '@pathway/kit';
import { SUBGRAPHS } from './subgraphs.ts';

const run = promisify(execFile);
const { EJSON } = BSON;
const [command, dir] = process.argv.slice(2);

/** Each subgraph keeps its documents in a database of its own (kit subgraph.ts). */
const mongoDatabases = SUBGRAPHS.map(({ name }) => `pathway_${name}`);

async function dumpMongo(client: MongoClient, out: string): Promise<number> {
  let documents = 0;
  for (const name of mongoDatabases) {
    const db = client.db(name);
    for (const { name: collection } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      const folder = path.join(out, 'mongo', name);
      mkdirSync(folder, { recursive: true });
      const file = createWriteStream(path.join(folder, `${collection}.jsonl`));
      // Canonical Extended JSON keeps every BSON type (dates, decimals, binary ids) exact.
      for await (const doc of db.collection(collection).find()) {
        if (!file.write(`${EJSON.stringify(doc, { relaxed: false })}\n`)) await once(file, 'drain');
        documents++;
      }
      file.end();
      await once(file, 'finish');
      const indexes = await db
        .collection(collection)
        .indexes()
        .catch(() => []);
      writeFileSync(path.join(folder, `${collection}.indexes.json`), JSON.stringify(indexes.filter((index) => index.name !== '_id_')));
    }
  }
  return documents;
}

async function restoreMongo(client: MongoClient, from: string): Promise<number> {
  let documents = 0;
  const root = path.join(from, 'mongo');
  for (const name of readdirSync(root)) {
    const db = client.db(name);
    for (const file of readdirSync(path.join(root, name)).filter((f) => f.endsWith('.jsonl'))) {
      const collection = db.collection(file.replace(/\.jsonl$/, ''));
      let batch: Document[] = [];
      const flush = async () => {
        if (batch.length) await collection.insertMany(batch, { ordered: true });
        documents += batch.length;
        batch = [];
      };
      for await (const line of createInterface({ input: createReadStream(path.join(root, name, file)) })) {
        if (!line) continue;
        batch.push(EJSON.parse(line, { relaxed: false }) as Document);
        if (batch.length === 1000) await flush();
      }
      await flush();
      const indexes = JSON.parse(
        readFileSync(path.join(root, name, file.replace(/\.jsonl$/, '.indexes.json')), 'utf8'),
      ) as (IndexDescription & {
        v?: number;
        ns?: string;
      })[];
      for (const { v: _v, ns: _ns, ...index } of indexes) await collection.createIndexes([index]);
    }
  }
  return documents;
}

void runProcess('backup', async () => {
  if ((command !== 'dump' && command !== 'restore') || !dir) throw new Error('usage: pnpm backup dump|restore <dir>');
  const config = loadConfig({ DATABASE_URL: postgresUrl, MONGODB_URL: mongoUrl });
  const mongo = await MongoClient.connect(config.MONGODB_URL);
  try {
    if (command === 'dump') {
      mkdirSync(dir, { recursive: true });
      // One consistent snapshot of every subgraph's schema (pg_dump runs in one repeatable-read transaction).
      await run('pg_dump', ['--format=custom', `--file=${path.join(dir, 'postgres.dump')}`, config.DATABASE_URL]);
      const documents = await dumpMongo(mongo, dir);
      console.log(`dumped PostgreSQL and ${documents} MongoDB documents to ${dir}`);
    } else {
      // Into an empty database; `pnpm migrate` afterwards grants the application role its connection.
      // --no-owner: the restoring role owns the objects (a managed server's admin need not be the old owner);
      // grants, policies and FORCE ROW LEVEL SECURITY come back as dumped.
      await run('pg_restore', ['--exit-on-error', '--no-owner', `--dbname=${config.DATABASE_URL}`, path.join(dir, 'postgres.dump')]);
      const documents = await restoreMongo(mongo, dir);
      console.log(`restored PostgreSQL and ${documents} MongoDB documents from ${dir}`);
    }
  } finally {
    await mongo.close();
  }
  process.exit(0);
});
