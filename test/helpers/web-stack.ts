/**
 * The real stack with the members' app: a built web/dist, a govrelay app listening on a free port
 * (browsers need a real socket), and Chromium. Closed in reverse order at close().
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../core/config.js';
import { launchBrowser, type BrowserHandle } from './browser.js';
import { startStack, type StackDaoOptions, type TestStack } from './stack.js';
import { ensureWebBuild } from './web-build.js';

export interface WebStack {
  stack: TestStack;
  /** The listening app the browser talks to. */
  server: FastifyInstance;
  baseUrl: string;
  browser: BrowserHandle;
  close(): Promise<void>;
}

export async function startWebStack(options: { config?: Partial<Config>; holders?: Record<number, bigint>; dao?: StackDaoOptions } = {}): Promise<WebStack> {
  await ensureWebBuild();
  const stack = await startStack(options);
  let browser: BrowserHandle | null = null;
  try {
    const server = await stack.startApp();
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    if (!address || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
    browser = await launchBrowser();
    const handle = browser;
    return {
      stack,
      server,
      baseUrl: `http://127.0.0.1:${address.port}`,
      browser: handle,
      async close() {
        await handle.close();
        await stack.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await stack.close();
    throw error;
  }
}
