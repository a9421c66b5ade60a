/**
 * The ABIs the server decodes payload calls and revert data with: ERC-20 and ERC-721 fragments, the
 * DAO's own contracts (relayer/contracts: GovToken, DaoTimelock, DaoGovernor, ReputationRegistry) as
 * human-readable fragments, and the ABIs an admin registers in the space's settings (`abis`).
 * Fragments rather than the compiled artifacts, so the server runs without the build folder; the
 * test (test/web/web-api.test.ts) checks every DAO fragment against the compiled artifacts.
 */
import { Fragment, Interface, getAddress } from 'ethers';
import { Type, type Static } from 'typebox';

export const ERC20_ABI = [
  'function transfer(address to, uint256 amount) returns (bool)',
  'function transferFrom(address from, address to, uint256 amount) returns (bool)',
  'function approve(address spender, uint256 amount) returns (bool)',
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InvalidSender(address sender)',
  'error ERC20InvalidReceiver(address receiver)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
  'error ERC20InvalidApprover(address approver)',
  'error ERC20InvalidSpender(address spender)',
] as const;

/** transferFrom(address,address,uint256) has the ERC-20 selector too: decode.ts tells them apart by decimals(). */
export const ERC721_ABI = [
  'function safeTransferFrom(address from, address to, uint256 tokenId)',
  'function safeTransferFrom(address from, address to, uint256 tokenId, bytes data)',
  'function setApprovalForAll(address operator, bool approved)',
  'error ERC721NonexistentToken(uint256 tokenId)',
  'error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner)',
  'error ERC721InsufficientApproval(address operator, uint256 tokenId)',
] as const;

/** The DAO's own contracts: what a proposal may ask the timelock to call on them. */
export const DAO_ABIS: Record<'GovToken' | 'DaoTimelock' | 'DaoGovernor' | 'ReputationRegistry', readonly string[]> = {
  GovToken: [
    'function mint(address to, uint256 amount)',
    'function delegate(address delegatee)',
    'function transferOwnership(address newOwner)',
    'function renounceOwnership()',
    'error OwnableUnauthorizedAccount(address account)',
    'error OwnableInvalidOwner(address owner)',
    'error ERC5805FutureLookup(uint256 timepoint, uint48 clock)',
  ],
  DaoTimelock: [
    'function updateDelay(uint256 newDelay)',
    'function grantRole(bytes32 role, address account)',
    'function revokeRole(bytes32 role, address account)',
    'function renounceRole(bytes32 role, address callerConfirmation)',
    'function cancel(bytes32 id)',
    'error TimelockInvalidOperationLength(uint256 targets, uint256 payloads, uint256 values)',
    'error TimelockInsufficientDelay(uint256 delay, uint256 minDelay)',
    'error TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates)',
    'error TimelockUnexecutedPredecessor(bytes32 predecessorId)',
    'error TimelockUnauthorizedCaller(address caller)',
    'error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)',
    'error AccessControlBadConfirmation()',
    'error FailedCall()',
  ],
  DaoGovernor: [
    'function setVotingDelay(uint48 newVotingDelay)',
    'function setVotingPeriod(uint32 newVotingPeriod)',
    'function setProposalThreshold(uint256 newProposalThreshold)',
    'function updateQuorumNumerator(uint256 newQuorumNumerator)',
    'function updateTimelock(address newTimelock)',
    'function relay(address target, uint256 value, bytes data) payable',
    'error GovernorOnlyExecutor(address account)',
    'error GovernorInvalidVotingPeriod(uint256 votingPeriod)',
    'error GovernorInvalidQuorumFraction(uint256 quorumNumerator, uint256 quorumDenominator)',
  ],
  ReputationRegistry: [
    'function setIssuer(address issuer, bool allowed)',
    'function grant(address account, uint256 points)',
    'function revoke(address account, uint256 points)',
    'function transferOwnership(address newOwner)',
    'error NotIssuer(address caller)',
    'error InsufficientReputation(address account, uint256 current, uint256 requested)',
  ],
};

/** Reverts every contract may answer: Solidity's Error(string) and Panic(uint256). */
export const BUILTIN_ERRORS = ['error Error(string message)', 'error Panic(uint256 code)'] as const;

export const SpaceAbiSchema = Type.Object(
  {
    address: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$', description: 'The contract these fragments describe.' }),
    name: Type.String({ minLength: 1, maxLength: 64, description: 'What people call it, e.g. "Grants vault".' }),
    fragments: Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), {
      minItems: 1,
      maxItems: 100,
      description: 'Human-readable ABI fragments, e.g. "function pay(address to, uint256 amount)".',
    }),
  },
  { additionalProperties: false },
);
export const SpaceAbisSchema = Type.Array(SpaceAbiSchema, { maxItems: 20, description: 'ABIs the proposal pages decode payload calls with.' });
export type SpaceAbi = Static<typeof SpaceAbiSchema>;

/** Problems with a space's `abis` (each fragment must parse; one entry per address), as "/abis/…: problem" strings. */
export function validateSpaceAbis(abis: SpaceAbi[] | undefined): string[] {
  if (!abis) return [];
  const problems: string[] = [];
  const seen = new Set<string>();
  abis.forEach((entry, i) => {
    const address = entry.address.toLowerCase();
    if (seen.has(address)) problems.push(`/abis/${i}/address: ${entry.address} is listed twice`);
    seen.add(address);
    entry.fragments.forEach((fragment, j) => {
      try {
        // Fragment.from throws on a bad fragment; new Interface() would only warn and skip it.
        Fragment.from(fragment);
        if (!/^\s*(function|error|event)\s/.test(fragment)) problems.push(`/abis/${i}/fragments/${j}: only function, error and event fragments are used`);
      } catch (error) {
        problems.push(`/abis/${i}/fragments/${j}: not a human-readable ABI fragment (${error instanceof Error ? error.message.split(' (')[0] : 'unparsable'})`);
      }
    });
  });
  return problems;
}

export interface KnownContract {
  /** "the treasury", "the Governor", a registered name, or null when the address means nothing to us. */
  label: string | null;
  iface: Interface | null;
}

/** Interfaces by address (lowercase) for one space: its registered ABIs, the DAO's contracts it names. */
export class AbiBook {
  private readonly byAddress = new Map<string, KnownContract>();
  /** ERC-20 + ERC-721 + every DAO fragment + builtin errors: what any target may answer. */
  readonly generic: Interface;
  readonly erc20 = new Interface(ERC20_ABI);

  constructor(settings: { executor?: string | undefined; governor?: string | undefined; token?: string | undefined; abis?: SpaceAbi[] | undefined }) {
    this.generic = new Interface(dedupe([...ERC20_ABI, ...ERC721_ABI, ...Object.values(DAO_ABIS).flat(), ...BUILTIN_ERRORS]));
    const add = (address: string | undefined, label: string, fragments: readonly string[]) => {
      if (!address) return;
      this.byAddress.set(address.toLowerCase(), { label, iface: new Interface(dedupe([...fragments.filter(parses), ...BUILTIN_ERRORS])) });
    };
    add(settings.executor, 'the treasury', DAO_ABIS.DaoTimelock);
    add(settings.governor, 'the Governor', DAO_ABIS.DaoGovernor);
    for (const entry of settings.abis ?? []) {
      add(entry.address, entry.name, entry.fragments);
    }
  }

  known(address: string): KnownContract {
    return this.byAddress.get(address.toLowerCase()) ?? { label: null, iface: null };
  }

  /** The label for an address in human text: its known name, else the checksummed address. */
  describe(address: string): string {
    return this.known(address).label ?? getAddress(address);
  }
}

/** Settings are validated when signed; a fragment that does not parse is skipped here, not fatal. */
function parses(fragment: string): boolean {
  try {
    Fragment.from(fragment);
    return true;
  } catch {
    return false;
  }
}

function dedupe(fragments: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const fragment of fragments) {
    // Two fragments with one signature would make Interface ambiguous: keep the first.
    const key = new Interface([fragment]).fragments[0]!.format('sighash');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(fragment);
  }
  return out;
}
