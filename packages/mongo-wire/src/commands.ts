// Command dispatch: the command name is the first field of the command
// document; the database comes from `$db` (OP_MSG) or the namespace (OP_QUERY).
// Session/cluster plumbing (lsid, txnNumber, $clusterTime, readConcern,
// writeConcern, apiVersion, $readPreference...) is accepted and ignored.
import { adminCommands } from './admin.ts';
import { crudCommands } from './crud.ts';
import type { CursorRegistry } from './cursors.ts';
import { errorReply, ServerError } from './errors.ts';
import type { Store } from './store.ts';
import type { Doc } from './values.ts';

export interface ServerState {
  store: Store;
  cursors: CursorRegistry;
  startedAt: number;
  connections: { current: number; totalCreated: number };
}

export interface CommandContext extends ServerState {
  db: string;
  connectionId: number;
  /** "host:port" of the client, for whatsmyuri. */
  peer: string;
}

export type Handler = (cmd: Doc, ctx: CommandContext) => Doc;

const handlers = new Map<string, Handler>([...Object.entries(adminCommands), ...Object.entries(crudCommands)]);

/** Runs one command; never throws — failures become `{ ok: 0, errmsg, code, codeName }`. */
export function runCommand(cmd: Doc, ctx: CommandContext): Doc {
  const name = Object.keys(cmd)[0];
  try {
    if (name === undefined) throw new ServerError('FailedToParse', 'empty command document');
    // A standalone mongod refuses transactions the same way; failing loudly beats
    // silently running "transactional" writes without rollback.
    if (cmd.startTransaction === true || cmd.autocommit === false) {
      throw new ServerError('IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos');
    }
    const handler = handlers.get(name);
    if (!handler) {
      return { ok: 0, errmsg: `no such command: '${name}'`, code: 59, codeName: 'CommandNotFound' };
    }
    return handler(cmd, ctx);
  } catch (err) {
    return errorReply(err);
  }
}
