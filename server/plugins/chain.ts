/** The chain connection (core/chain/connect.ts) as a Fastify decoration, with the server's signature verifier. */
import fp from 'fastify-plugin';
import type { Config } from '../../core/config.js';
import { connectChain, type ChainConnection } from '../../core/chain/connect.js';
import { SignatureVerifier } from '../eip712/signature.js';

export interface Chain extends ChainConnection {
  verifier: SignatureVerifier;
}

declare module 'fastify' {
  interface FastifyInstance {
    chain: Chain;
  }
}

export default fp(
  async (app, opts: { config: Config }) => {
    const connection = await connectChain(opts.config);
    const chain: Chain = { ...connection, verifier: new SignatureVerifier({ provider: connection.provider }) };
    app.decorate('chain', chain);
    app.addHook('onClose', async () => chain.close());
  },
  { name: 'chain' },
);
