/**
 * Browser wallets found through EIP-6963 (each wallet announces itself with its name and icon), and
 * the legacy `window.ethereum` when no wallet announces.
 */
import type { Eip1193Provider } from './eip1193';

export interface WalletInfo {
  uuid: string;
  name: string;
  icon: string;
  rdns: string;
}

export interface WalletOffer {
  info: WalletInfo;
  provider: Eip1193Provider;
}

interface AnnounceEvent extends Event {
  detail: WalletOffer;
}

/** Listens for announcements for `waitMs`, asking wallets to announce; answers them once, deduplicated by uuid. */
export function discoverWallets(waitMs = 300): Promise<WalletOffer[]> {
  return new Promise((resolve) => {
    const found = new Map<string, WalletOffer>();
    const onAnnounce = (event: Event) => {
      const offer = (event as AnnounceEvent).detail;
      if (offer?.info?.uuid && offer.provider) found.set(offer.info.uuid, offer);
    };
    window.addEventListener('eip6963:announceProvider', onAnnounce);
    window.dispatchEvent(new Event('eip6963:requestProvider'));
    setTimeout(() => {
      window.removeEventListener('eip6963:announceProvider', onAnnounce);
      const offers = [...found.values()];
      const legacy = (window as unknown as { ethereum?: Eip1193Provider }).ethereum;
      if (offers.length === 0 && legacy)
        offers.push({ info: { uuid: 'window.ethereum', name: 'Browser wallet', icon: '', rdns: 'window.ethereum' }, provider: legacy });
      resolve(offers);
    }, waitMs);
  });
}
