import { CopyButton } from './CopyButton';

/** A transaction hash, shortened, with a copy button (no explorer: the chain may be local). */
export function TxHash({ hash }: { hash: string }) {
  return (
    <span className="address">
      tx <code title={hash}>{`${hash.slice(0, 10)}…${hash.slice(-6)}`}</code>
      <CopyButton text={hash} label={`Copy transaction hash ${hash}`} />
    </span>
  );
}
