/**
 * The connected wallet: found through EIP-6963 (or window.ethereum), its account and network, and
 * the switch to the community's network. Shared by the vote, proposal and settings forms.
 */
import { useCallback, useEffect, useState } from 'react';
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

let remembered: { offer: WalletOffer; account: string } | null = null;

export function useWallet(wantChainId: number | null) {
  const [state, setState] = useState<WalletState>(() => ({
    offers: null, provider: remembered?.offer.provider ?? null, walletName: remembered?.offer.info.name ?? null,
    account: remembered?.account ?? null, chainId: null, busy: false, error: null,
  }));

  const refreshChain = useCallback(async (provider: Eip1193Provider) => {
    const chainId = await chainIdOf(provider);
    setState((s) => ({ ...s, chainId }));
    return chainId;
  }, []);

  useEffect(() => {
    if (state.provider) void refreshChain(state.provider).catch(() => undefined);
    const provider = state.provider;
    if (!provider?.on) return;
    const onChain = (id: unknown) => setState((s) => ({ ...s, chainId: Number(id) }));
    const onAccounts = (accounts: unknown) => setState((s) => ({ ...s, account: ((accounts as string[])[0] ?? null)?.toLowerCase() ?? null }));
    provider.on('chainChanged', onChain);
    provider.on('accountsChanged', onAccounts);
    return () => {
      provider.removeListener?.('chainChanged', onChain);
      provider.removeListener?.('accountsChanged', onAccounts);
    };
  }, [state.provider, refreshChain]);

  const find = useCallback(async () => {
    setState((s) => ({ ...s, busy: true, error: null }));
    const offers = await discoverWallets();
    setState((s) => ({ ...s, offers, busy: false, error: offers.length ? null : WALLET_SENTENCES.NO_WALLET }));
    return offers;
  }, []);

  const connect = useCallback(async (offer: WalletOffer) => {
    setState((s) => ({ ...s, busy: true, error: null }));
    try {
      const [account] = await requestAccounts(offer.provider);
      if (!account) throw new Error('The wallet shared no account.');
      remembered = { offer, account: account.toLowerCase() };
      const chainId = await chainIdOf(offer.provider);
      setState((s) => ({ ...s, provider: offer.provider, walletName: offer.info.name, account: account.toLowerCase(), chainId, busy: false }));
    } catch (error) {
      setState((s) => ({ ...s, busy: false, error: explain(error) }));
    }
  }, []);

  const switchNetwork = useCallback(async () => {
    if (!state.provider || wantChainId === null) return;
    setState((s) => ({ ...s, busy: true, error: null }));
    try {
      await switchChain(state.provider, wantChainId);
      await refreshChain(state.provider);
      setState((s) => ({ ...s, busy: false }));
    } catch (error) {
      setState((s) => ({ ...s, busy: false, error: (error as { code?: number }).code === 4001 ? explain(error) : WALLET_SENTENCES.SWITCH_FAILED(wantChainId) }));
    }
  }, [state.provider, wantChainId, refreshChain]);

  const wrongNetwork = state.account !== null && state.chainId !== null && wantChainId !== null && state.chainId !== wantChainId;
  return { ...state, wrongNetwork, find, connect, switchNetwork };
}
