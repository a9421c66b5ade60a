/** Connect a wallet (EIP-6963 list, or window.ethereum), show the account, and switch networks when needed. */
import { AddressView } from '../components/AddressView';
import { WALLET_SENTENCES } from './errors';
import type { useWallet } from './useWallet';

export function WalletBar({ wallet, wantChainId }: { wallet: ReturnType<typeof useWallet>; wantChainId: number }) {
  if (!wallet.account) {
    return (
      <div className="wallet">
        {wallet.offers && wallet.offers.length > 0 ? (
          <div role="group" aria-label="Choose a wallet">
            {wallet.offers.map((offer) => (
              <button key={offer.info.uuid} type="button" disabled={wallet.busy} onClick={() => void wallet.connect(offer)}>
                {offer.info.icon && offer.info.icon.startsWith('data:image/') ? <img src={offer.info.icon} alt="" width={16} height={16} /> : null} Connect{' '}
                {offer.info.name}
              </button>
            ))}
          </div>
        ) : (
          <button type="button" disabled={wallet.busy} onClick={() => void wallet.find()}>
            Connect wallet
          </button>
        )}
        {wallet.error ? (
          <p className="error" role="alert">
            {wallet.error}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div className="wallet">
      <p>
        Connected{wallet.walletName ? ` with ${wallet.walletName}` : ''}: <AddressView address={wallet.account} />
      </p>
      {wallet.wrongNetwork ? (
        <div role="alert" className="error">
          <p>{WALLET_SENTENCES.WRONG_NETWORK(wantChainId, wallet.chainId!)}</p>
          <button type="button" disabled={wallet.busy} onClick={() => void wallet.switchNetwork()}>
            Switch to network {wantChainId}
          </button>
        </div>
      ) : null}
      {wallet.error ? (
        <p className="error" role="alert">
          {wallet.error}
        </p>
      ) : null}
    </div>
  );
}
