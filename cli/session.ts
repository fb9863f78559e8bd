import type { Command } from 'commander';
import { type ConveyorClient, createConveyorClient, unwrap } from '../client/index';
import { type Connection, resolveConnection } from './config';
import { CliError } from './output';

export interface GlobalOptions {
  url?: string;
  key?: string;
  context?: string;
  json?: boolean;
}

export interface Session {
  client: ConveyorClient;
  connection: Connection;
  /** `--json`: print the API's JSON for scripts instead of tables. */
  json: boolean;
}

/** The client a command talks through, from the global options of its invocation. */
export function sessionOf(command: Command): Session {
  const options = command.optsWithGlobals<GlobalOptions>();
  const connection = resolveConnection(options);
  return {
    client: createConveyorClient({ url: connection.url, key: connection.key }),
    connection,
    json: Boolean(options.json),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A collection's id from its id or its name (names are unique within a tenant). */
export async function collectionIdOf(client: ConveyorClient, idOrName: string): Promise<string> {
  if (UUID.test(idOrName)) return idOrName;
  let cursor: string | undefined;
  do {
    const page = await unwrap(
      client.api.GET('/v1/collections', { params: { query: { limit: 500, cursor } } }),
    );
    const found = page.data.find((collection) => collection.name === idOrName);
    if (found) return found.id;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  throw new CliError(
    `No collection named "${idOrName}"; list them with \`conveyor collections list\`.`,
  );
}
