/**
 * Proves that `from` signed an EIP-712 digest. Checks, in Snapshot's order:
 *
 *   1. ECDSA (EOA): a 65-byte r‖s‖v signature, low-s only, recovered with native libsecp256k1.
 *   2. ERC-6492: a signature ending in the 0x6492… suffix, from a counterfactual (maybe not yet
 *      deployed) wallet; checked by a deployless eth_call of SignatureValidator.sol, which
 *      deploys the wallet through its factory inside the call and asks it (EIP-1271).
 *   3. EIP-1271: `from.isValidSignature(digest, sig)` must return 0x1626ba7e.
 *
 * A contract wallet's answer can change (owners rotate), so contract checks run against one
 * explicit block, read first, and that block is returned for the caller to record.
 */
import { AbiCoder, isError, toQuantity, type JsonRpcProvider } from 'ethers';
import { InvalidInputError, SignatureError, UpstreamError } from '../../core/errors.js';
import { readArtifact } from '../../core/contracts.js';
import { bytesToHex, hexToBytes } from './digest.js';
import { isHighS, recoverEoa, recoveryId } from './ecdsa.js';

export { isHighS, recoverEoa } from './ecdsa.js';

export type SignatureKind = 'eoa' | 'eip1271' | 'eip6492';

export interface VerifiedSignature {
  kind: SignatureKind;
  /** The block the contract wallet was asked at; null for EOA signatures (no chain state involved). */
  block: bigint | null;
}

export const SIGNATURE_ERROR = {
  /** The signature is not well-formed, or nothing (ECDSA, ERC-6492, EIP-1271) verifies it. */
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  /** A 65-byte ECDSA signature in the malleable high-s form. */
  HIGH_S: 'HIGH_S',
  /** A valid ECDSA signature by another address, and `from` is not a wallet that accepts it. */
  SIGNER_MISMATCH: 'SIGNER_MISMATCH',
  /** The chain could not be asked; retryable. */
  RPC_ERROR: 'RPC_ERROR',
} as const;

export const ERC6492_SUFFIX = hexToBytes(`0x${'6492'.repeat(16)}`)!;
/** isValidSignature(bytes32,bytes) selector, which is also its "valid" return value. */
const ERC1271_SELECTOR = '0x1626ba7e';
const ERC1271_VALID_WORD = ERC1271_SELECTOR + '0'.repeat(56);
const VALIDATOR_TRUE_WORD = '0x' + '0'.repeat(63) + '1';
const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;
const abi = AbiCoder.defaultAbiCoder();

export function hasErc6492Suffix(sig: Uint8Array): boolean {
  if (sig.length < ERC6492_SUFFIX.length) return false;
  const offset = sig.length - ERC6492_SUFFIX.length;
  for (let i = 0; i < ERC6492_SUFFIX.length; i++) if (sig[offset + i] !== ERC6492_SUFFIX[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Verifier
// ---------------------------------------------------------------------------------------------

export interface SignatureVerifierOptions {
  provider: JsonRpcProvider;
  /** Creation code of SignatureValidator.sol; read from build/contracts on first ERC-6492 check if omitted. */
  validatorBytecode?: string;
}

function toBytes(value: string | Uint8Array, what: string): Uint8Array {
  if (typeof value !== 'string') return value;
  const bytes = hexToBytes(value);
  if (!bytes) throw new SignatureError(SIGNATURE_ERROR.BAD_SIGNATURE, `${what} must be 0x-prefixed hex of whole bytes`);
  return bytes;
}

export class SignatureVerifier {
  private readonly provider: JsonRpcProvider;
  private validatorBytecode: string | undefined;

  constructor(options: SignatureVerifierOptions) {
    this.provider = options.provider;
    this.validatorBytecode = options.validatorBytecode;
  }

  /**
   * Resolves with how `from` signed `digest`, or throws SignatureError (BAD_SIGNATURE, HIGH_S,
   * SIGNER_MISMATCH) or UpstreamError (RPC_ERROR) when a contract wallet could not be asked.
   */
  async verify(from: string, digest: string | Uint8Array, signature: string | Uint8Array): Promise<VerifiedSignature> {
    if (!ADDRESS_PATTERN.test(from)) throw new InvalidInputError('INVALID_ADDRESS', 'from must be 0x + 40 hex digits');
    const signer = from.toLowerCase();
    const digestBytes = toBytes(digest, 'digest');
    if (digestBytes.length !== 32) throw new InvalidInputError('INVALID_DIGEST', 'digest must be 32 bytes');
    const sigBytes = toBytes(signature, 'signature');

    const recovered = recoverEoa(digestBytes, sigBytes);
    if (recovered === signer) return { kind: 'eoa', block: null };

    // Not an EOA signature by `from`: only a contract wallet at `from` can still accept it.
    const contractResult = await this.checkContractWallet(signer, digestBytes, sigBytes);
    if (contractResult) return contractResult;

    if (isHighS(sigBytes) && recoveryId(sigBytes) >= 0) {
      throw new SignatureError(SIGNATURE_ERROR.HIGH_S, 'signature s is in the upper half of the curve order; send the low-s form');
    }
    if (recovered) {
      throw new SignatureError(SIGNATURE_ERROR.SIGNER_MISMATCH, `signature was made by ${recovered}, not by ${signer}`, {
        details: { from: signer, recovered },
      });
    }
    throw new SignatureError(SIGNATURE_ERROR.BAD_SIGNATURE, `signature does not verify for ${signer}`);
  }

  /**
   * The contract-wallet checks alone (ERC-6492, else EIP-1271), at the latest block: the result
   * with that block, or null if the wallet does not accept the signature (or there is no wallet).
   */
  async checkContractWallet(from: string, digest: Uint8Array, sig: Uint8Array): Promise<VerifiedSignature | null> {
    const digestHex = bytesToHex(digest);
    const sigHex = bytesToHex(sig);
    let request: { to?: string; data: string };
    let validWord: string;
    let kind: SignatureKind;
    if (hasErc6492Suffix(sig)) {
      try {
        abi.decode(['address', 'bytes', 'bytes'], sig.subarray(0, sig.length - ERC6492_SUFFIX.length));
      } catch {
        return null; // malformed wrapper: (factory, factoryCalldata, signature) does not decode
      }
      const args = abi.encode(['address', 'bytes32', 'bytes'], [from, digestHex, sigHex]);
      request = { data: this.validatorCode() + args.slice(2) };
      validWord = VALIDATOR_TRUE_WORD;
      kind = 'eip6492';
    } else {
      const args = abi.encode(['bytes32', 'bytes'], [digestHex, sigHex]);
      request = { to: from, data: ERC1271_SELECTOR + args.slice(2) };
      validWord = ERC1271_VALID_WORD;
      kind = 'eip1271';
    }

    const block = await this.latestBlock();
    let result: string;
    try {
      // At the block just read. (A numeric block tag also stops ethers from following a CCIP-read
      // redirect, i.e. fetching a URL a hostile wallet chooses; it does so only for "latest".)
      result = await this.provider.call({ ...request, blockTag: toQuantity(block) });
    } catch (error) {
      // A revert is the wallet (or its factory) saying no; anything else is the RPC failing.
      if (isError(error, 'CALL_EXCEPTION')) return null;
      throw new UpstreamError(SIGNATURE_ERROR.RPC_ERROR, 'contract wallet check failed: RPC error', { cause: error });
    }
    return result.toLowerCase() === validWord ? { kind, block } : null;
  }

  private async latestBlock(): Promise<bigint> {
    try {
      // eth_blockNumber directly: provider.getBlockNumber() may answer from a short-lived cache.
      return BigInt((await this.provider.send('eth_blockNumber', [])) as string);
    } catch (error) {
      throw new UpstreamError(SIGNATURE_ERROR.RPC_ERROR, 'could not read the latest block number', { cause: error });
    }
  }

  private validatorCode(): string {
    this.validatorBytecode ??= readArtifact('SignatureValidator').bytecode;
    return this.validatorBytecode;
  }
}
