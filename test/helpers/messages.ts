/** Builds and signs govrelay envelopes the way a wallet does (EIP-712 typed data via ethers). */
import type { Wallet } from 'ethers';
import { ZERO_HASH } from '../../core/proposals/payload.js';
import { buildDomain, MESSAGE_TYPES, typesFor, type MessageByType, type PrimaryType, type Eip712Domain } from '../../server/eip712/types.js';

export const TEST_SALT = `0x${'ab'.repeat(32)}`;
export const testDomain = (chainId = 31337): Eip712Domain => buildDomain(chainId, TEST_SALT);

export interface Envelope<P extends PrimaryType = PrimaryType> {
  address: string;
  sig: string;
  data: { domain: Eip712Domain; types: ReturnType<typeof typesFor>; primaryType: P; message: MessageByType[P] };
  payload?: { targets: string[]; values: string[]; calldatas: string[] };
}

export async function signEnvelope<P extends PrimaryType>(
  wallet: Wallet,
  primaryType: P,
  message: MessageByType[P],
  options: { domain?: Eip712Domain; payload?: Envelope['payload'] } = {},
): Promise<Envelope<P>> {
  const domain = options.domain ?? testDomain();
  const types = { [primaryType]: [...MESSAGE_TYPES[primaryType]] };
  const sig = await wallet.signTypedData(domain, types, message as unknown as Record<string, unknown>);
  return {
    address: wallet.address,
    sig,
    data: { domain, types: typesFor(primaryType), primaryType, message },
    ...(options.payload ? { payload: options.payload } : {}),
  };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An envelope around an already signed message (address = message.from), as a client posts it. */
export function envelopeFor(primaryType: PrimaryType, message: object, sig: string, domain: Eip712Domain = testDomain()) {
  return {
    address: (message as { from: string }).from,
    sig,
    data: { domain, types: typesFor(primaryType), primaryType, message },
  };
}

/** A signal Proposal message (single-choice Blue/Green/Red, no payload, kind "default") with the fields a test changes. */
export function proposalMessage(
  wallet: Wallet,
  space: string,
  snapshot: number,
  overrides: Partial<MessageByType['Proposal']> = {},
): MessageByType['Proposal'] {
  return {
    from: wallet.address,
    space,
    timestamp: nowSeconds(),
    title: 'A proposal',
    body: '',
    discussion: '',
    choices: ['Blue', 'Green', 'Red'],
    votingType: 'single-choice',
    snapshot,
    execution: '',
    payloadHash: ZERO_HASH,
    idea: '',
    kind: 'default',
    ...overrides,
  };
}
