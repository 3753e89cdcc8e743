import { MongoClient, type Db } from 'mongodb';

export interface MongoConnection {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

/** One client per process; each subgraph keeps its documents in a database of its own. */
export async function connectMongo(url: string, database: string): Promise<MongoConnection> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000, appName: `pathway-${database}` });
  await client.connect();
  return { client, db: client.db(database), close: () => client.close() };
}
