/**
 * THE one place the app learns how to show a space's voting power: decimals and symbol.
 * Today it uses what the space's signed settings say (`discord.powerDecimals`, default 18, the
 * same value the server's Discord embeds use) and the unit "votes"; the server's token-metadata
 * endpoint replaces this (read from the chain once and cached server-side).
 */
export interface TokenDisplay {
  decimals: number;
  symbol: string;
}

export const DEFAULT_TOKEN_DISPLAY: TokenDisplay = { decimals: 18, symbol: 'votes' };

export function tokenDisplayOf(settings: unknown): TokenDisplay {
  const discord = (settings as { discord?: { powerDecimals?: unknown } } | null)?.discord;
  const decimals = typeof discord?.powerDecimals === 'number' ? discord.powerDecimals : DEFAULT_TOKEN_DISPLAY.decimals;
  return { decimals, symbol: DEFAULT_TOKEN_DISPLAY.symbol };
}
