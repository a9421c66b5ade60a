/**
 * Proposal kinds: which of a space's kinds a proposal names, the rules it then runs under (the
 * space's settings with the kind's own stages, gate and late-quorum extension in place of the
 * top-level ones), and the kind's limits on what an executable payload may do.
 *
 * The payload limits are checked on the signed calls themselves, before anything is stored: the
 * targets and selectors against the allow-list, and the outflow each call declares (the ERC-20
 * moves whose amount is in the calldata, and the ETH values) against the caps. A call can move
 * value in ways no calldata shows (a contract that pays out when poked); the allow-list is what
 * closes those, so a kind with an outflow cap should also list its calls.
 */
import { AbiCoder, id as keccakId } from 'ethers';
import { InvalidInputError } from '../errors.js';
import { DEFAULT_KIND, type KindSettings, type SpaceSettings } from '../spaces/settings.js';
import type { ExecutionPayload } from './repository.js';

/** The kind a proposal runs under, as its rules record it (name and definition at creation). */
export interface ProposalKind {
  name: string;
  /** The kind's definition when the proposal was created; {} for the implicit default kind. */
  definition: KindSettings;
}

/** The kind names a proposal of this space may sign. */
export function kindNames(settings: Pick<SpaceSettings, 'kinds'>): string[] {
  return settings.kinds ? Object.keys(settings.kinds) : [DEFAULT_KIND];
}

/** The kind a signal proposal (a promoted idea's draft) names: "default" if the space has it, else the first kind that allows signals. */
export function signalKind(settings: Pick<SpaceSettings, 'kinds'> | null | undefined): string {
  const kinds = settings?.kinds;
  if (!kinds || Object.hasOwn(kinds, DEFAULT_KIND)) return DEFAULT_KIND;
  const names = Object.keys(kinds);
  return names.find((name) => (kinds[name]!.execution ?? ['signal']).includes('signal')) ?? names[0] ?? DEFAULT_KIND;
}

/**
 * The kind a proposal names. A space without `kinds` has one kind, "default" (its top-level rules);
 * a space with `kinds` has exactly those, so no proposal can step around a kind's limits by naming
 * another name.
 */
export function resolveKind(settings: Pick<SpaceSettings, 'kinds'>, name: string): ProposalKind {
  if (!settings.kinds) {
    if (name === DEFAULT_KIND) return { name, definition: {} };
  } else if (Object.hasOwn(settings.kinds, name)) {
    return { name, definition: settings.kinds[name]! };
  }
  throw new InvalidInputError('UNKNOWN_KIND', `kind "${name}" is not one of this space's kinds: ${kindNames(settings).join(', ')}`, {
    details: { kind: name, kinds: kindNames(settings) },
  });
}

/** The space's settings as a proposal of this kind runs under them: the kind's stages, gate and extension win. */
export function settingsForKind(settings: SpaceSettings, kind: ProposalKind): SpaceSettings {
  const k = kind.definition;
  const lateQuorumExtension = k.lateQuorumExtension ?? settings.lateQuorumExtension;
  return {
    ...settings,
    temperature: k.temperature ?? settings.temperature,
    consensus: k.consensus ?? settings.consensus,
    proposalGate: k.proposalGate ?? settings.proposalGate,
    ...(lateQuorumExtension !== undefined ? { lateQuorumExtension } : {}),
  };
}

/** The execution modes a kind permits, as the Proposal message's `execution` values ("" is a signal). */
export function checkKindExecution(kind: ProposalKind, execution: string): void {
  const allowed = kind.definition.execution ?? ['signal', 'timelock', 'governor'];
  const mode = execution === '' ? 'signal' : execution;
  if (!(allowed as readonly string[]).includes(mode)) {
    throw new InvalidInputError(
      'KIND_EXECUTION_NOT_ALLOWED',
      `a ${kind.name} proposal may not be ${mode === 'signal' ? 'a signal' : `executed by ${mode}`} (allowed: ${allowed.join(', ')})`,
      {
        details: { kind: kind.name, execution: mode, allowed },
      },
    );
  }
}

/** The 4-byte selector of an allow-list entry: given as 0x12345678 or as a signature. */
export function selectorOf(entry: string): string {
  return entry.startsWith('0x') ? entry.toLowerCase() : keccakId(entry.replace(/\s+/g, '')).slice(0, 10);
}

const SELECTORS = {
  transfer: '0xa9059cbb', // transfer(address,uint256)
  transferFrom: '0x23b872dd', // transferFrom(address,address,uint256)
  approve: '0x095ea7b3', // approve(address,uint256)
  increaseAllowance: '0x39509351', // increaseAllowance(address,uint256)
} as const;

/**
 * What each token leaves the executor by, per the calldata: amounts in base units keyed by
 * lowercase token address, and "ETH" for the calls' values. An approval counts in full (the spender
 * can take it); transferFrom counts when it takes from the executor.
 */
export function declaredOutflow(payload: ExecutionPayload, executor: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const add = (token: string, amount: bigint) => out.set(token, (out.get(token) ?? 0n) + amount);
  const coder = AbiCoder.defaultAbiCoder();
  payload.targets.forEach((target, i) => {
    const value = BigInt(payload.values[i]!);
    if (value > 0n) add('ETH', value);
    const data = payload.calldatas[i]!;
    const selector = data.slice(0, 10);
    const args = `0x${data.slice(10)}`;
    const decode = (types: string[]) => {
      try {
        return coder.decode(types, args);
      } catch (error) {
        // A token call whose amount cannot be read cannot be bounded: refused rather than counted as 0.
        throw new InvalidInputError('KIND_MAX_OUTFLOW_EXCEEDED', `payload.calldatas[${i}] calls a token function whose amount cannot be decoded`, {
          cause: error,
          details: { call: i },
        });
      }
    };
    if (selector === SELECTORS.transfer || selector === SELECTORS.approve || selector === SELECTORS.increaseAllowance) {
      add(target.toLowerCase(), decode(['address', 'uint256'])[1] as bigint);
    } else if (selector === SELECTORS.transferFrom) {
      const [from, , amount] = decode(['address', 'address', 'uint256']);
      if ((from as string).toLowerCase() === executor.toLowerCase()) add(target.toLowerCase(), amount as bigint);
    }
  });
  return out;
}

/** Refuses a payload outside its kind's limits, with a code naming the limit (allowedCalls, then maxOutflow). */
export function checkKindPayload(kind: ProposalKind, payload: ExecutionPayload, executor: string): void {
  const limits = kind.definition.payloadLimits;
  if (!limits) return;
  if (limits.allowedCalls) {
    payload.targets.forEach((target, i) => {
      const entry = limits.allowedCalls!.find((c) => c.target.toLowerCase() === target.toLowerCase());
      if (!entry) {
        throw new InvalidInputError('KIND_TARGET_NOT_ALLOWED', `payload.targets[${i}] ${target} is not among the ${kind.name} kind's allowed targets`, {
          details: { kind: kind.name, call: i, target, allowed: limits.allowedCalls!.map((c) => c.target.toLowerCase()) },
        });
      }
      if (!entry.selectors) return;
      const data = payload.calldatas[i]!;
      const selector = data.length >= 10 ? data.slice(0, 10) : null;
      const allowed = entry.selectors.map(selectorOf);
      if (selector === null || !allowed.includes(selector)) {
        throw new InvalidInputError(
          'KIND_SELECTOR_NOT_ALLOWED',
          `payload.calldatas[${i}] calls ${selector ?? 'no function'} on ${target}, which the ${kind.name} kind does not allow (allowed: ${entry.selectors.join(', ')})`,
          { details: { kind: kind.name, call: i, target, selector, allowed } },
        );
      }
    });
  }
  if (limits.maxOutflow) {
    const caps = new Map(limits.maxOutflow.map((c) => [c.token === 'ETH' ? 'ETH' : c.token.toLowerCase(), BigInt(c.amount)]));
    for (const [token, amount] of declaredOutflow(payload, executor)) {
      const cap = caps.get(token) ?? 0n;
      if (amount > cap) {
        throw new InvalidInputError(
          'KIND_MAX_OUTFLOW_EXCEEDED',
          `the payload moves ${amount} of ${token} out of the executor; the ${kind.name} kind allows at most ${cap} per proposal`,
          { details: { kind: kind.name, token, amount: amount.toString(), limit: cap.toString() } },
        );
      }
    }
  }
}
