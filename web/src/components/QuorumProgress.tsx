import { bps, percent } from '../format/units';
import type { TokenDisplay } from '../format/token';
import { TokenAmount } from './TokenAmount';

/** Power that voted against the stage's quorum; `reached` comes from the server's final result. */
export function QuorumProgress({ totalPower, quorum, token, reached }: { totalPower: string; quorum: string; token: TokenDisplay; reached?: boolean }) {
  const width = quorum === '0' ? 100 : bps(totalPower, quorum) / 100;
  return (
    <div className="progress bar">
      <div className="label">
        <span>Quorum{reached === true ? ' reached' : reached === false ? ' not reached' : ''}</span>
        <span>
          <TokenAmount value={totalPower} token={token} /> of <TokenAmount value={quorum} token={token} />
          {quorum !== '0' ? ` (${percent(totalPower, quorum)})` : ''}
        </span>
      </div>
      <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <rect className="track" x="0" y="0" width="100" height="10" rx="2" />
        <rect className={`fill${width >= 100 ? ' reached' : ''}`} x="0" y="0" width={Math.min(100, width)} height="10" rx="2" />
      </svg>
    </div>
  );
}
