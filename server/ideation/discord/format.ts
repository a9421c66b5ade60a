/** Text formatting for Discord messages. */
import { formatUnits } from 'ethers';

/** Power in base units as a readable number: thousands separators, at most 4 decimals. */
export function formatPower(value: bigint | string, decimals = 18): string {
  const amount = typeof value === 'bigint' ? value : BigInt(value);
  const [whole = '0', fraction = ''] = formatUnits(amount, decimals).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const shortFraction = fraction.slice(0, 4).replace(/0+$/, '');
  if (shortFraction === '' && amount > 0n && whole === '0') return '< 0.0001';
  return shortFraction ? `${grouped}.${shortFraction}` : grouped;
}

/** Discord renders <t:unix:R> as a relative time ("in 3 hours") in each reader's locale. */
export function discordTime(date: Date, style: 'R' | 'f' = 'R'): string {
  return `<t:${Math.floor(date.getTime() / 1000)}:${style}>`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A link to a Discord thread or channel (a thread started from a message has the message's id). */
export function channelUrl(guildId: string, channelId: string, messageId?: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}${messageId ? `/${messageId}` : ''}`;
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
