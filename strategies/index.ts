/**
 * The strategy registry: validates a space's strategy configuration and computes voting power as
 * the weighted sum of its strategies. Everything is bigint; weights are small integers.
 */
import { Value } from 'typebox/value';
import { InvalidInputError } from '../core/errors.js';
import type { BaseStrategies, BaseStrategyRef, HolderContext, Strategy, StrategyContext, StrategyRef } from './types.js';
export type { BaseStrategyRef } from './types.js';
import tokenWeighted from './token-weighted/index.js';
import quadratic from './quadratic/index.js';
import reputationWeighted from './reputation-weighted/index.js';

export const strategies: Record<string, Strategy> = {
  [tokenWeighted.name]: tokenWeighted,
  [quadratic.name]: quadratic,
  [reputationWeighted.name]: reputationWeighted,
};

export const MAX_STRATEGIES = 8;
export const MAX_WEIGHT = 1_000_000;
/** Levels of strategies, the space's own included: e.g. quadratic(reputation-weighted(token-weighted)). */
export const MAX_STRATEGY_DEPTH = 3;

/** Where a composite strategy keeps its base strategies, so validation can follow them. */
const baseRefsOf: Record<string, (params: Record<string, unknown>) => Record<string, unknown>> = {
  quadratic: (params) => ({ strategy: params.strategy }),
  'reputation-weighted': (params) => ({ stake: params.stake }),
};

const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;

export function getStrategy(name: string): Strategy {
  const strategy = Object.hasOwn(strategies, name) ? strategies[name] : undefined;
  if (!strategy) throw new InvalidInputError('UNKNOWN_STRATEGY', `unknown strategy "${name}"`, { details: { name } });
  return strategy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems with one strategy reference (and, recursively, with its base strategies). */
function problemsOfRef(ref: unknown, path: string, depth: number): string[] {
  if (!isRecord(ref)) return [`${path}: must be an object { name, params }`];
  if (depth > MAX_STRATEGY_DEPTH) return [`${path}: strategies nest at most ${MAX_STRATEGY_DEPTH} levels deep`];
  if (typeof ref.name !== 'string') return [`${path}.name: must be a string`];
  if (!Object.hasOwn(strategies, ref.name)) return [`${path}.name: unknown strategy "${ref.name}"`];
  const strategy = strategies[ref.name]!;
  const errors = Value.Errors(strategy.paramsSchema, ref.params);
  if (errors.length > 0) {
    // Union schemas report one error per branch; one line per location and message is enough.
    return [...new Set(errors.map((error) => `${path}.params${error.instancePath}: ${error.message}`))];
  }
  const bases = baseRefsOf[ref.name]?.(ref.params as Record<string, unknown>) ?? {};
  return Object.entries(bases).flatMap(([key, base]) => problemsOfRef(base, `${path}.params.${key}`, depth + 1));
}

/** Every problem with a space's strategy list; empty when it is valid. */
export function validateStrategyRefs(refs: unknown): string[] {
  if (!Array.isArray(refs)) return ['strategies: must be an array'];
  if (refs.length < 1 || refs.length > MAX_STRATEGIES) {
    return [`strategies: must list 1 to ${MAX_STRATEGIES} strategies, got ${refs.length}`];
  }
  return refs.flatMap((ref, index) => {
    const path = `strategies[${index}]`;
    const problems = problemsOfRef(ref, path, 1);
    if (isRecord(ref) && ref.weight !== undefined) {
      const weight = ref.weight;
      if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
        problems.push(`${path}.weight: must be an integer from 1 to ${MAX_WEIGHT}`);
      }
    }
    return problems;
  });
}

function assertValidStrategyRefs(refs: StrategyRef[]): void {
  const problems = validateStrategyRefs(refs);
  if (problems.length > 0) {
    throw new InvalidInputError('INVALID_STRATEGIES', `invalid strategies: ${problems.join('; ')}`, { details: { problems } });
  }
}

/**
 * Power of a base strategy inside a composite one. Composites get it through their context
 * (context.base), which every call below fills: the registry imports them, so they do not import it.
 */
export function basePower(context: StrategyContext, ref: BaseStrategyRef, addresses: readonly string[]): Promise<bigint[]> {
  return powerOf(getStrategy(ref.name), context, ref.params, addresses);
}

/** Holders of a base strategy inside a composite one (see Strategy.holders). */
export async function baseHolders(context: HolderContext, ref: BaseStrategyRef, into: Set<string>): Promise<void> {
  await getStrategy(ref.name).holders?.(withBase(context), ref.params, into);
}

const BASE: BaseStrategies = { power: basePower, holders: baseHolders };

function withBase<C extends StrategyContext>(context: C): C {
  return context.base === BASE ? context : { ...context, base: BASE };
}

/**
 * Addresses likely to have power under a space's strategies (the union of each strategy's
 * holders), for computing power before votes arrive. Strategies without a holders() add none.
 */
export async function likelyHolders(context: HolderContext, refs: StrategyRef[]): Promise<Set<string>> {
  assertValidStrategyRefs(refs);
  const into = new Set<string>();
  // One after another: the scanner's address limit applies to the union.
  const withBases = withBase(context);
  for (const ref of refs) await getStrategy(ref.name).holders?.(withBases, ref.params, into);
  return into;
}

async function powerOf(strategy: Strategy, context: StrategyContext, params: unknown, addresses: readonly string[]) {
  const powers = await strategy.getPower(withBase(context), params, addresses);
  // A strategy that loses or invents addresses, or goes negative, is a bug: never tally with it.
  if (powers.length !== addresses.length || powers.some((power) => typeof power !== 'bigint' || power < 0n)) {
    throw new Error(`strategy ${strategy.name} returned ${powers.length} powers for ${addresses.length} addresses or a negative power`);
  }
  return powers;
}

/**
 * Voting power of each address: byStrategy[addressIndex][strategyIndex] is that strategy's power
 * times its weight; total is the sum over strategies. Strategies run concurrently.
 */
export async function computeVotingPower(
  context: StrategyContext,
  refs: StrategyRef[],
  addresses: readonly string[],
): Promise<{ total: bigint[]; byStrategy: bigint[][] }> {
  assertValidStrategyRefs(refs);
  const badAddress = addresses.find((address) => !ADDRESS_PATTERN.test(address));
  if (badAddress !== undefined) {
    throw new InvalidInputError('INVALID_ADDRESS', 'addresses must be 0x followed by 40 hex digits', { details: { address: badAddress } });
  }
  const normalized = addresses.map((address) => address.toLowerCase());
  const perStrategy = await Promise.all(
    refs.map(async (ref) => {
      const weight = BigInt(ref.weight ?? 1);
      const powers = await powerOf(getStrategy(ref.name), context, ref.params, normalized);
      return powers.map((power) => power * weight);
    }),
  );
  const byStrategy = normalized.map((_, addressIndex) => perStrategy.map((powers) => powers[addressIndex]!));
  const total = byStrategy.map((row) => row.reduce((sum, power) => sum + power, 0n));
  return { total, byStrategy };
}
