/** Small steps the browser tests share: proposals and votes over the API, and reading the page. */
import type { FastifyInstance } from 'fastify';
import type { Page } from 'puppeteer-core';
import { mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';
import { nowSeconds } from './messages.js';
import type { LogJson } from './log-check.js';
import { latestBlock, type TestStack } from './stack.js';

export async function propose(
  stack: TestStack,
  server: FastifyInstance,
  fields: { space: string; title: string; body?: string; choices?: string[]; votingType?: string; discussion?: string; author?: number },
): Promise<string> {
  await mineBlocks(stack.chain.provider, 1);
  const author = stack.wallets[fields.author ?? 1]!;
  const created = await stack.submit(
    await stack.sign(author, 'Proposal', {
      from: author.address,
      space: fields.space,
      timestamp: nowSeconds(),
      title: fields.title,
      body: fields.body ?? '',
      discussion: fields.discussion ?? '',
      choices: fields.choices ?? ['For', 'Against', 'Abstain'],
      votingType: fields.votingType ?? 'basic',
      snapshot: (await latestBlock(stack)) - 1,
      execution: '',
      payloadHash: ZERO_HASH,
      idea: '',
      kind: 'default',
    }),
    server,
  );
  if (created.status !== 200) throw new Error(`proposal refused: ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

let clock = 0;
/** Signs and submits a vote; timestamps only grow, so a re-vote always replaces the previous one. */
export async function vote(stack: TestStack, server: FastifyInstance, wallet: number, space: string, proposal: string, choice: string, reason = '', stage = 1) {
  clock = Math.max(clock + 1, nowSeconds());
  const w = stack.wallets[wallet]!;
  const r = await stack.submit(await stack.sign(w, 'Vote', { from: w.address, space, proposal, stage, timestamp: clock, choice, reason }), server);
  if (r.status !== 200) throw new Error(`vote refused: ${JSON.stringify(r.body)}`);
  return r.body as { id: string; receivedAt: string; receipt: LogJson };
}

export async function textOf(page: Page, selector: string): Promise<string> {
  await page.waitForSelector(selector);
  return page.$eval(selector, (el) => (el as HTMLElement).innerText);
}

/** Every vote of a stage from the API, following nextCursor. */
export async function apiVotes(stack: TestStack, proposal: string, stage: number) {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { items: Record<string, unknown>[]; nextCursor: string | null } } = await stack.get(
      `/api/proposals/${proposal}/votes?stage=${stage}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
    );
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}
