/**
 * Signing and sending a govrelay message from the browser: the EIP-712 domain and types come from
 * GET /api/info (never written here), eth_signTypedData_v4 signs, POST /api/messages stores, and the
 * receipt (the message's place in the server's signed log) is checked before the member is told it
 * is recorded.
 */
import { apiGet, apiPost } from '../api/client';
import type { Info } from '../api/types';
import { signTypedData, type Eip1193Provider } from '../wallet/eip1193';
import { receiptIsValid, type LogReceipt } from './receipt';

let infoPromise: Promise<Info> | null = null;
export function serverInfo(): Promise<Info> {
  infoPromise ??= apiGet('/api/info').catch((error: unknown) => {
    infoPromise = null;
    throw error;
  });
  return infoPromise;
}

export interface Receipt {
  id: string;
  type: string;
  receivedAt: string;
  receipt: LogReceipt;
  /** The receipt's inclusion proof holds and its tree head is signed by GET /api/info's receiptSigner. */
  verified: boolean;
  receiptSigner: string;
}

export type Payload = { targets: string[]; values: string[]; calldatas: string[] };
/** Travels unsigned beside a Subscribe; the message signs only its salted hash. */
export type EmailBeside = { address: string; salt: string };

export async function signAndSend(
  provider: Eip1193Provider,
  from: string,
  primaryType: string,
  message: Record<string, unknown>,
  payload?: Payload,
  email?: EmailBeside,
): Promise<Receipt> {
  const info = await serverInfo();
  const allTypes = info.types as Record<string, unknown>;
  const types = { EIP712Domain: allTypes.EIP712Domain, [primaryType]: allTypes[primaryType] };
  const data = { domain: info.domain, types, primaryType, message };
  const sig = await signTypedData(provider, from, data);
  const answer = await apiPost<{ id: string; type: string; receivedAt: string; receipt: LogReceipt }>('/api/messages', {
    address: from,
    sig,
    data,
    ...(payload ? { payload } : {}),
    ...(email ? { email } : {}),
  });
  return { ...answer, verified: receiptIsValid(answer, sig, info.receiptSigner), receiptSigner: info.receiptSigner };
}

/** Unix seconds for a new message: now, or just after a previous message's timestamp (a re-vote must be newer). */
export function nextTimestamp(previous?: string | number | null): number {
  const now = Math.floor(Date.now() / 1000);
  const before = previous === undefined || previous === null ? 0 : Number(previous);
  return Math.max(now, before + 1);
}
