import { MongoClient, type Db } from 'mongodb';
import { Counter, metrics } from './metrics.ts';

export interface MongoConnection {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

const mongoCommands = new Counter({
  name: 'pathway_mongo_commands_total',
  help: 'Commands this process sent to MongoDB (monitoring and handshakes excluded).',
  registers: [metrics],
});

/** One client per process; each subgraph keeps its documents in a database of its own. */
export async function connectMongo(url: string, database: string): Promise<MongoConnection> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000, appName: `pathway-${database}`, monitorCommands: true });
  client.on('commandStarted', () => mongoCommands.inc());
  await client.connect();
  return { client, db: client.db(database), close: () => client.close() };
}
