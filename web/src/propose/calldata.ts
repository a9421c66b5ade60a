/**
 * The payload builder's rows and their calldata. ERC-20 transfers are encoded here (a fixed 68-byte
 * layout); an arbitrary call is encoded by the server from its ABI fragment (POST /api/payload/encode),
 * so no ABI coder ships to the browser.
 */
import { apiPost } from '../api/client';

export type CallRow =
  | { kind: 'erc20-transfer'; token: string; to: string; amount: string }
  | { kind: 'eth-transfer'; to: string; amount: string }
  | { kind: 'call'; target: string; fragment: string; args: string; value: string };

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** "1.5" with 18 decimals → 1500000000000000000n; refuses more decimals than the token has. Integers only, never floats. */
export function parseUnits(text: string, decimals: number): bigint {
  const t = text.trim().replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(t)) throw new Error(`"${text}" is not an amount`);
  const [whole, fraction = ''] = t.split('.');
  if (fraction.length > decimals) throw new Error(`at most ${decimals} decimals`);
  return BigInt(whole!) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

const word = (hex: string) => hex.padStart(64, '0');

export function erc20TransferData(to: string, amount: bigint): string {
  if (!ADDRESS.test(to)) throw new Error(`"${to}" is not an address`);
  return `0xa9059cbb${word(to.slice(2).toLowerCase())}${word(amount.toString(16))}`;
}

/** One row → { target, value, data }; `decimalsOf` gives a token's decimals (from /api/chain/tokens). */
export async function rowToCall(row: CallRow, decimalsOf: (token: string) => Promise<number>): Promise<{ target: string; value: string; data: string }> {
  switch (row.kind) {
    case 'erc20-transfer': {
      if (!ADDRESS.test(row.token)) throw new Error(`token "${row.token}" is not an address`);
      const amount = parseUnits(row.amount, await decimalsOf(row.token));
      return { target: row.token, value: '0', data: erc20TransferData(row.to, amount) };
    }
    case 'eth-transfer':
      if (!ADDRESS.test(row.to)) throw new Error(`"${row.to}" is not an address`);
      return { target: row.to, value: parseUnits(row.amount, 18).toString(), data: '0x' };
    case 'call': {
      if (!ADDRESS.test(row.target)) throw new Error(`target "${row.target}" is not an address`);
      const args = row.args.trim() ? row.args.split('\n').map((a) => a.trim()) : [];
      const encoded = await apiPost<{ data: string }>('/api/payload/encode', { fragment: row.fragment, args });
      return { target: row.target, value: row.value.trim() ? parseUnits(row.value, 18).toString() : '0', data: encoded.data };
    }
  }
}
