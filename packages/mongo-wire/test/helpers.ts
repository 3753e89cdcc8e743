// Starts the project's own wire server (not mongod) plus a real `mongodb` driver client.
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import { startMongoWireServer, type MongoWireServer } from '../src/index.ts';

export interface Harness {
  server: MongoWireServer;
  client: MongoClient;
}

/** Registers beforeAll/afterAll hooks and returns a getter for the running harness. */
export function useWireServer(): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    const server = await startMongoWireServer({ port: 0 });
    const client = new MongoClient(server.url, { serverSelectionTimeoutMS: 5_000 });
    await client.connect();
    harness = { server, client };
  });
  afterAll(async () => {
    await harness?.client.close();
    await harness?.server.close();
  });
  return () => {
    if (!harness) throw new Error('wire server not started');
    return harness;
  };
}

/** Schema for collections whose `_id`s are not ObjectIds (strings, numbers, UUIDs). */
export type AnyIdDoc = { _id?: string | number | object; [key: string]: unknown };

let dbCounter = 0;
/** A fresh database name per test so tests don't see each other's data. */
export function freshDbName(prefix = 't'): string {
  dbCounter++;
  return `${prefix}_${dbCounter}`;
}
