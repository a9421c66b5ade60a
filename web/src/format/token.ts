/**
 * THE one place the app learns how to show voting power: decimals and a unit.
 *
 * Token metadata (decimals, symbol) comes from the server (`GET /api/spaces/:id/tokens`, read from
 * the chain once and cached there). The rule:
 * - a `token-weighted` strategy's power is an amount of its token: its decimals and symbol
 *   ("20 BTK");
 * - any other strategy (quadratic: square roots of a token amount; reputation-weighted: stake plus
 *   reputation points) has no token unit: its power shows in "votes", with the decimals the space's
 *   signed settings give its power (`discord.powerDecimals`, default 18, the same value the
 *   server's Discord embeds use);
 * - a sum over strategies (scores, totals, quorum, proposal gate) shows in the token's unit only when
 *   every strategy is token-weighted with weight 1 over tokens of the same symbol and decimals (then
 *   the sum is an amount of that token); otherwise the sum shows in "votes" like a non-token
 *   strategy, and the per-strategy breakdown before signing gives each part in its own unit.
 */
export interface TokenDisplay {
  decimals: number;
  symbol: string;
}

/** The shape `GET /api/spaces/:id/tokens` answers per token. */
export interface TokenMetadata {
  address: string;
  name: string | null;
  symbol: string | null;
  decimals: number | null;
}

export const POWER_UNIT = 'votes';
export const DEFAULT_TOKEN_DISPLAY: TokenDisplay = { decimals: 18, symbol: POWER_UNIT };

interface StrategyLike {
  name?: unknown;
  params?: unknown;
  weight?: unknown;
}

/** Power without a token unit: "votes" with the settings' `discord.powerDecimals`. */
export function powerDisplayOf(settings: unknown): TokenDisplay {
  const discord = (settings as { discord?: { powerDecimals?: unknown } } | null)?.discord;
  const decimals = typeof discord?.powerDecimals === 'number' ? discord.powerDecimals : DEFAULT_TOKEN_DISPLAY.decimals;
  return { decimals, symbol: POWER_UNIT };
}

function strategiesOf(settings: unknown): StrategyLike[] {
  const list = (settings as { strategies?: unknown } | null)?.strategies;
  return Array.isArray(list) ? (list as StrategyLike[]) : [];
}

/** One strategy's unit: its token's when it is token-weighted over a token with decimals and symbol. */
export function strategyDisplay(settings: unknown, strategy: StrategyLike | undefined, tokens: readonly TokenMetadata[]): TokenDisplay {
  const fallback = powerDisplayOf(settings);
  if (!strategy || strategy.name !== 'token-weighted') return fallback;
  const address = (strategy.params as { address?: unknown } | null)?.address;
  if (typeof address !== 'string') return fallback;
  const token = tokens.find((t) => t.address.toLowerCase() === address.toLowerCase());
  if (!token || token.decimals === null || !token.symbol) return fallback;
  return { decimals: token.decimals, symbol: token.symbol };
}

/** The unit of a sum over the space's strategies (see the rule above). */
export function tokenDisplayOf(settings: unknown, tokens: readonly TokenMetadata[] = []): TokenDisplay {
  const strategies = strategiesOf(settings);
  const fallback = powerDisplayOf(settings);
  if (strategies.length === 0) return fallback;
  const units: TokenDisplay[] = [];
  for (const strategy of strategies) {
    if (strategy.weight !== undefined && strategy.weight !== 1) return fallback;
    const unit = strategyDisplay(settings, strategy, tokens);
    if (unit.symbol === POWER_UNIT) return fallback;
    units.push(unit);
  }
  const first = units[0]!;
  return units.every((u) => u.decimals === first.decimals && u.symbol === first.symbol) ? first : fallback;
}

/** Each strategy's unit, in the settings' order (the per-strategy breakdown of a voter's power). */
export function strategyDisplays(settings: unknown, tokens: readonly TokenMetadata[]): TokenDisplay[] {
  return strategiesOf(settings).map((s) => strategyDisplay(settings, s, tokens));
}
