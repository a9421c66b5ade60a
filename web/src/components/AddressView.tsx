import { checksumAddress, shortAddress } from '../format/address';
import { CopyButton } from './CopyButton';
import { Identicon } from './Identicon';

/** An address: identicon, short checksummed form (full one on hover) and a copy button. */
export function AddressView({ address }: { address: string }) {
  const full = checksumAddress(address);
  return (
    <span className="address">
      <Identicon address={address} />
      <code title={full}>{shortAddress(address)}</code>
      <CopyButton text={full} label={`Copy address ${full}`} />
    </span>
  );
}
