import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@pathway/kit';

export interface GatewayContext {
  identity: Identity | null;
  requestId: string;
  /** The token was issued after an administrator's password reset (see must-change-password.ts). */
  mustChangePassword?: boolean;
}

/**
 * Sends each subgraph request with the caller's identity signed by the gateway. Nothing the client
 * sent is forwarded: a client cannot smuggle an identity header through.
 */
export class SignedIdentityDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly internalSecret: string,
  ) {
    // Node's fetch: ~40 % more throughput than the default fetcher (shared/recipes).
    super({ url, fetcher: fetch as never });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers) return;
    headers.set('x-request-id', context.requestId ?? '');
    if (context.identity) headers.set(IDENTITY_HEADER, await signIdentity(context.identity, this.internalSecret));
  }
}
