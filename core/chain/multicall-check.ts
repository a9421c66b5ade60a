/**
 * Is there contract code at MULTICALL_ADDRESS? Voting power is read through Multicall3, so without it
 * every proposal and vote is refused (MULTICALL_UNAVAILABLE) while the chain itself answers; /health
 * reports it. Code that is there stays there, so a positive answer is remembered and never asked
 * again; a missing one is asked again at the next check (someone may deploy it meanwhile).
 */
import type { JsonRpcProvider } from 'ethers';

export class MulticallPresence {
  private present = false;

  constructor(
    private readonly provider: Pick<JsonRpcProvider, 'send'>,
    readonly address: string,
  ) {}

  /** 'ok', or a sentence saying what is missing (a failing node throws: the chain check reports that). */
  async check(): Promise<string> {
    if (this.present) return 'ok';
    // send, not getCode: ethers caches identical getCode calls for 250 ms, which would hide a fresh install.
    const code = (await this.provider.send('eth_getCode', [this.address, 'latest'])) as string;
    if (code !== '0x') {
      this.present = true;
      return 'ok';
    }
    return `no Multicall3 code at MULTICALL_ADDRESS ${this.address}: every proposal is refused (MULTICALL_UNAVAILABLE); run npm run deploy -- --rpc <url>, or set MULTICALL_ADDRESS`;
  }
}
