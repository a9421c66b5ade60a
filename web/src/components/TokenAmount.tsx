import { formatUnits } from '../format/units';
import type { TokenDisplay } from '../format/token';

/** An integer amount in token units with its symbol; the exact base-unit integer on hover. */
export function TokenAmount({ value, token }: { value: string; token: TokenDisplay }) {
  return (
    <span className="amount" title={`${value} base units`}>
      {formatUnits(value, token.decimals)} {token.symbol}
    </span>
  );
}
