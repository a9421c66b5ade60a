import type { StageResult } from '../api/types';
import { AddressView } from './AddressView';

/** The stage result's power-spike warning (voters counted, not excluded), as the server computed it. */
export function PowerSpikeWarning({ result }: { result: StageResult | null }) {
  const spike = result?.warnings?.powerSpike;
  if (!spike || spike.voters.length === 0) return null;
  return (
    <div className="warning" role="note" data-testid="power-spike">
      <p>
        <strong>Power-spike warning:</strong> these voters had more than {spike.multiple}× their power of block {spike.earlierBlock} ({spike.lookbackBlocks}{' '}
        blocks before the snapshot). Their votes count.
      </p>
      <ul>
        {spike.voters.map((v) => (
          <li key={v.address}>
            <AddressView address={v.address} />: <span data-testid="spike-power">{v.power}</span> at the snapshot, {v.earlierPower} before
          </li>
        ))}
      </ul>
    </div>
  );
}
