/** The app's client routes. Server links point here too (Discord embeds use proposalPath). */
export type Route =
  | { name: 'spaces' }
  | { name: 'space'; id: string }
  | { name: 'proposal'; id: string }
  | { name: 'propose'; id: string }
  | { name: 'space-settings'; id: string }
  | { name: 'delegates'; id: string }
  | { name: 'delegate'; id: string; address: string }
  | { name: 'discord-link' }
  | { name: 'discord-promote' }
  | { name: 'not-found' };

export const spacePath = (id: string) => `/spaces/${encodeURIComponent(id)}`;
export const proposalPath = (id: string) => `/proposals/${id}`;
export const proposePath = (space: string) => `/spaces/${encodeURIComponent(space)}/propose`;
export const settingsPath = (space: string) => `/spaces/${encodeURIComponent(space)}/settings`;
export const delegatesPath = (space: string) => `/spaces/${encodeURIComponent(space)}/delegates`;
export const delegatePath = (space: string, address: string) => `/spaces/${encodeURIComponent(space)}/delegates/${address.toLowerCase()}`;

export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '/spaces') return { name: 'spaces' };
  let m = /^\/spaces\/([^/]+)\/?$/.exec(pathname);
  if (m) return { name: 'space', id: decodeURIComponent(m[1]!) };
  m = /^\/spaces\/([^/]+)\/(propose|settings)\/?$/.exec(pathname);
  if (m) return { name: m[2] === 'propose' ? 'propose' : 'space-settings', id: decodeURIComponent(m[1]!) };
  m = /^\/spaces\/([^/]+)\/delegates\/?$/.exec(pathname);
  if (m) return { name: 'delegates', id: decodeURIComponent(m[1]!) };
  m = /^\/spaces\/([^/]+)\/delegates\/(0x[0-9a-fA-F]{40})\/?$/.exec(pathname);
  if (m) return { name: 'delegate', id: decodeURIComponent(m[1]!), address: m[2]!.toLowerCase() };
  m = /^\/proposals\/(0x[0-9a-fA-F]{64})\/?$/.exec(pathname);
  if (m) return { name: 'proposal', id: m[1]!.toLowerCase() };
  if (pathname === '/discord/link') return { name: 'discord-link' };
  if (pathname === '/discord/promote') return { name: 'discord-promote' };
  return { name: 'not-found' };
}
