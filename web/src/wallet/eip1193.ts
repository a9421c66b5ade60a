/** The EIP-1193 provider interface every browser wallet implements, and the calls the app makes. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): void;
  removeListener?(event: string, listener: (...args: unknown[]) => void): void;
}

/** A wallet error as EIP-1193 defines it (4001: the member refused; 4902: unknown chain). */
export interface ProviderRpcError extends Error {
  code: number;
  data?: unknown;
}

export const isUserRejection = (error: unknown) => (error as ProviderRpcError | null)?.code === 4001;

export async function requestAccounts(provider: Eip1193Provider): Promise<string[]> {
  return (await provider.request({ method: 'eth_requestAccounts' })) as string[];
}

export async function chainIdOf(provider: Eip1193Provider): Promise<number> {
  return Number(await provider.request({ method: 'eth_chainId' }));
}

export async function switchChain(provider: Eip1193Provider, chainId: number): Promise<void> {
  await provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: `0x${chainId.toString(16)}` }] });
}

/**
 * eth_signTypedData_v4 over the server's EIP-712 domain and types (GET /api/info): the app never
 * writes them itself. `types` must include EIP712Domain, as /api/info returns it.
 */
export async function signTypedData(
  provider: Eip1193Provider,
  from: string,
  typed: { domain: object; types: Record<string, unknown>; primaryType: string; message: object },
): Promise<string> {
  const payload = JSON.stringify(typed);
  return (await provider.request({ method: 'eth_signTypedData_v4', params: [from, payload] })) as string;
}
