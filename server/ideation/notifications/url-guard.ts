/**
 * Generic webhook URLs come from space settings, which any space admin writes: without a guard the
 * server would POST wherever they point, including its own private network (SSRF). Only https
 * URLs whose host resolves to public addresses are accepted, and redirects are not followed.
 * WEBHOOK_ALLOW_PRIVATE_URLS=true lifts this for local development and tests.
 *
 * Known limit: the name is resolved here and again by fetch, so a DNS answer that changes in
 * between (rebinding) is not caught. Deployments that need more should send webhooks through an
 * egress proxy.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { PermanentDeliveryError } from './errors.js';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export async function assertDeliverableUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PermanentDeliveryError('webhook URL is not a URL');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new PermanentDeliveryError('webhook URLs must be https://');
  if (url.username || url.password) throw new PermanentDeliveryError('webhook URLs may not carry credentials');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch (error) {
    // A name that does not resolve may resolve later: not permanent.
    throw new Error(`cannot resolve webhook host ${host}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) throw new PermanentDeliveryError(`webhook host ${host} resolves to a private address`);
  return url;
}
