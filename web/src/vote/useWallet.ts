/**
 * The connected wallet, shared by every form on the page (vote, manage, propose, settings): found
 * through EIP-6963 (or window.ethereum), its account and network, and the switch to the community's
 * network. One module-level store, so connecting once connects every form.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { discoverWallets, type WalletOffer } from '../wallet/eip6963';
import { chainIdOf, requestAccounts, switchChain, type Eip1193Provider } from '../wallet/eip1193';
import { WALLET_SENTENCES, explain } from './errors';

export interface WalletState {
  offers: WalletOffer[] | null;
  provider: Eip1193Provider | null;
  walletName: string | null;
  account: string | null;
  chainId: number | null;
  busy: boolean;
  error: string | null;
}

let state: WalletState = { offers: null, provider: null, walletName: null, account: null, chainId: null, busy: false, error: null };
const listeners = new Set<() => void>();
const set = (patch: Partial<WalletState>) => {
  state = { ...state, ...patch };
  listeners.forEach((l) => l());
};
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

let watched: Eip1193Provider | null = null;
function watch(provider: Eip1193Provider) {
  if (watched === provider || !provider.on) return;
  watched = provider;
  provider.on('chainChanged', (id: unknown) => set({ chainId: Number(id) }));
  provider.on('accountsChanged', (accounts: unknown) => set({ account: ((accounts as string[])[0] ?? null)?.toLowerCase() ?? null }));
}

async function find() {
  set({ busy: true, error: null });
  const offers = await discoverWallets();
  set({ offers, busy: false, error: offers.length ? null : WALLET_SENTENCES.NO_WALLET });
  return offers;
}

async function connect(offer: WalletOffer) {
  set({ busy: true, error: null });
  try {
    const [account] = await requestAccounts(offer.provider);
    if (!account) throw new Error('The wallet shared no account.');
    const chainId = await chainIdOf(offer.provider);
    watch(offer.provider);
    set({ provider: offer.provider, walletName: offer.info.name, account: account.toLowerCase(), chainId, busy: false });
  } catch (error) {
    set({ busy: false, error: explain(error) });
  }
}

async function switchNetwork(wantChainId: number) {
  if (!state.provider) return;
  set({ busy: true, error: null });
  try {
    await switchChain(state.provider, wantChainId);
    set({ chainId: await chainIdOf(state.provider), busy: false });
  } catch (error) {
    set({ busy: false, error: (error as { code?: number }).code === 4001 ? explain(error) : WALLET_SENTENCES.SWITCH_FAILED(wantChainId) });
  }
}

export function useWallet(wantChainId: number | null) {
  const current = useSyncExternalStore(subscribe, () => state);
  useEffect(() => {
    if (current.provider)
      void chainIdOf(current.provider).then(
        (chainId) => set({ chainId }),
        () => undefined,
      );
  }, [current.provider]);
  const doSwitch = useCallback(() => (wantChainId === null ? Promise.resolve() : switchNetwork(wantChainId)), [wantChainId]);
  const wrongNetwork = current.account !== null && current.chainId !== null && wantChainId !== null && current.chainId !== wantChainId;
  return { ...current, wrongNetwork, find, connect, switchNetwork: doSwitch };
}
