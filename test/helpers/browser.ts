/// <reference lib="dom" />
/**
 * Real Chromium for browser tests (Debian's /usr/bin/chromium driven by puppeteer-core; nothing
 * downloads a browser).
 *
 * - launchBrowser(): a headless Chromium with a fresh profile, closed and deleted at close().
 * - openPage(t, browser): a page whose console errors, uncaught page errors and failed requests to
 *   the app FAIL the test `t` as they happen (a test may expect a known error with `allowErrors`).
 * - screenshots(page, name): desktop (1280 px) and mobile (390 px) PNGs in test-artifacts/screenshots/.
 * - injectWallet(page, wallet): an EIP-1193 provider announced through EIP-6963 (and, optionally, as
 *   window.ethereum) whose accounts and signatures come from an ethers Wallet in the test process,
 *   through page.exposeFunction. The page never sees the key.
 * - axeViolations(page): axe-core's serious and critical accessibility violations on the page.
 */
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { Wallet } from 'ethers';
import type { Test } from 'tap';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve(fileURLToPath(new URL('../../test-artifacts/screenshots', import.meta.url)));

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserHandle {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserHandle> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'govrelay-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    userDataDir,
    args: CHROMIUM_ARGS,
    defaultViewport: { width: 1280, height: 800 },
  });
  let closing: Promise<void> | null = null;
  return {
    browser,
    close() {
      closing ??= (async () => {
        await browser.close().catch(() => undefined);
        await rm(userDataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

export type TestLike = Pick<Test, 'fail' | 'teardown'>;

export interface PageOptions {
  /** Console errors matching one of these are expected (e.g. a test that makes the server refuse). */
  allowErrors?: RegExp[];
  viewport?: { width: number; height: number };
}

export interface TestPage {
  page: Page;
  /** Every console error and page error seen so far (the failing ones already failed the test). */
  errors: string[];
}

export async function openPage(t: TestLike, browser: Browser, options: PageOptions = {}): Promise<TestPage> {
  const page = await browser.newPage();
  if (options.viewport) await page.setViewport(options.viewport);
  const errors: string[] = [];
  let ended = false;
  const report = (text: string) => {
    errors.push(text);
    if (options.allowErrors?.some((re) => re.test(text))) return;
    if (!ended) t.fail(`browser: ${text}`);
  };
  page.on('console', (message) => {
    if (message.type() === 'error') report(`console error: ${message.text()} ${JSON.stringify(message.location())}`);
  });
  page.on('pageerror', (error) => report(`page error: ${error instanceof Error ? error.message : String(error)}`));
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? '';
    // Navigating away aborts in-flight requests: not an error of the app.
    if (failure === 'net::ERR_ABORTED') return;
    report(`request failed: ${request.method()} ${request.url()} ${failure}`);
  });
  t.teardown(async () => {
    ended = true;
    await page.close().catch(() => undefined);
  });
  return { page, errors };
}

/** Chromium refuses screenshots taller than its texture limit: longer pages are cut here. */
const MAX_SHOT_HEIGHT = 12_000;

async function shoot(page: Page, path: string, width: number): Promise<void> {
  await page.setViewport({ width, height: 800 });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height <= MAX_SHOT_HEIGHT) await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  else await page.screenshot({ path: path as `${string}.png`, clip: { x: 0, y: 0, width, height: MAX_SHOT_HEIGHT }, captureBeyondViewport: true });
}

/**
 * Writes `<name>-desktop.png` (1280 px wide) and `<name>-mobile.png` (390 px) of the whole page
 * (at most 12,000 px tall). Width only: switching isMobile would make puppeteer reload the page.
 */
export async function screenshots(page: Page, name: string): Promise<{ desktop: string; mobile: string }> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const previous = page.viewport();
  const desktop = join(SCREENSHOT_DIR, `${name}-desktop.png`);
  const mobile = join(SCREENSHOT_DIR, `${name}-mobile.png`);
  await shoot(page, desktop, 1280);
  await shoot(page, mobile, 390);
  if (previous) await page.setViewport(previous);
  return { desktop, mobile };
}

export interface InjectedWallet {
  address: string;
  /** The chain id the wallet reports (switching through wallet_switchEthereumChain changes it). */
  chainId: number;
  /** Every request the page made, in order: { method, params }. */
  calls: { method: string; params: unknown }[];
  /** When set, eth_signTypedData_v4 answers the EIP-1193 "user rejected" error (code 4001). */
  rejectSignatures: boolean;
  /** Chains wallet_switchEthereumChain accepts (default: any). */
  knownChains: number[] | null;
  /** Tells the page the wallet changed chain (EIP-1193 chainChanged), as a real wallet would. */
  setChain(chainId: number): Promise<void>;
}

const BRIDGE = '__govrelayTestWallet';

/**
 * Adds the test wallet to `page` before any of its scripts run (call before page.goto). It is
 * announced through EIP-6963 as "Test Wallet" (rdns org.govrelay.test) and, with
 * `{ legacy: true }`, also set as window.ethereum.
 */
export async function injectWallet(page: Page, wallet: Wallet, options: { chainId: number; legacy?: boolean; announce?: boolean }): Promise<InjectedWallet> {
  const state: InjectedWallet = {
    address: wallet.address,
    chainId: options.chainId,
    calls: [],
    rejectSignatures: false,
    knownChains: null,
    async setChain(chainId: number) {
      state.chainId = chainId;
      await page.evaluate(
        (name, hex) => (window as unknown as Record<string, (e: string, v: unknown) => void>)[`${name}Emit`]!('chainChanged', hex),
        BRIDGE,
        `0x${chainId.toString(16)}`,
      );
    },
  };
  const rpcError = (code: number, message: string) => ({ error: { code, message } });

  await page.exposeFunction(`${BRIDGE}Request`, async (method: string, paramsJson: string) => {
    const params = paramsJson ? (JSON.parse(paramsJson) as unknown) : undefined;
    state.calls.push({ method, params });
    const list = Array.isArray(params) ? params : [];
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
        return { result: [wallet.address] };
      case 'eth_chainId':
        return { result: `0x${state.chainId.toString(16)}` };
      case 'net_version':
        return { result: String(state.chainId) };
      case 'wallet_switchEthereumChain': {
        const wanted = Number((list[0] as { chainId?: string } | undefined)?.chainId);
        if (state.knownChains && !state.knownChains.includes(wanted)) return rpcError(4902, `Unrecognized chain ID ${wanted}`);
        state.chainId = wanted;
        return { result: null, emit: ['chainChanged', `0x${wanted.toString(16)}`] };
      }
      case 'eth_signTypedData_v4': {
        if (state.rejectSignatures) return rpcError(4001, 'User rejected the request.');
        const [from, typedJson] = list as [string, string | object];
        if (String(from).toLowerCase() !== wallet.address.toLowerCase()) return rpcError(4100, `unknown account ${from}`);
        const typed = (typeof typedJson === 'string' ? JSON.parse(typedJson) : typedJson) as {
          domain: Record<string, unknown>;
          types: Record<string, { name: string; type: string }[]>;
          message: Record<string, unknown>;
          primaryType: string;
        };
        // ethers derives EIP712Domain itself and wants only the primary type's graph.
        const { EIP712Domain: _domain, ...types } = typed.types;
        if (Number(typed.domain.chainId) !== state.chainId)
          return rpcError(-32000, `Provided chainId ${String(typed.domain.chainId)} must match the active chainId ${state.chainId}`);
        return { result: await wallet.signTypedData(typed.domain, types, typed.message) };
      }
      case 'personal_sign': {
        if (state.rejectSignatures) return rpcError(4001, 'User rejected the request.');
        const [data] = list as [string];
        return { result: await wallet.signMessage(data.startsWith('0x') ? Buffer.from(data.slice(2), 'hex') : data) };
      }
      default:
        return rpcError(4200, `the test wallet does not support ${method}`);
    }
  });

  await page.evaluateOnNewDocument(
    (bridge: string, legacy: boolean, announce: boolean) => {
      const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
      const emit = (event: string, value: unknown) => listeners.get(event)?.forEach((l) => l(value));
      const provider = {
        isGovrelayTestWallet: true,
        async request({ method, params }: { method: string; params?: unknown }) {
          const call = (
            window as unknown as Record<
              string,
              (m: string, p: string) => Promise<{ result?: unknown; error?: { code: number; message: string }; emit?: [string, unknown] }>
            >
          )[`${bridge}Request`]!;
          const answer = await call(method, params === undefined ? '' : JSON.stringify(params));
          if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
          if (answer.emit) setTimeout(() => emit(answer.emit![0], answer.emit![1]), 0);
          return answer.result;
        },
        on(event: string, listener: (...args: unknown[]) => void) {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)!.add(listener);
        },
        removeListener(event: string, listener: (...args: unknown[]) => void) {
          listeners.get(event)?.delete(listener);
        },
      };
      (window as unknown as Record<string, unknown>)[`${bridge}Emit`] = emit;
      if (legacy) (window as unknown as Record<string, unknown>).ethereum = provider;
      if (announce) {
        const icon =
          'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"%3E%3Crect width="8" height="8" fill="%23888"/%3E%3C/svg%3E';
        const detail = Object.freeze({
          info: Object.freeze({ uuid: '6f1c1a7e-7d2b-4f39-9d57-0c6c2d5a1f00', name: 'Test Wallet', icon, rdns: 'org.govrelay.test' }),
          provider,
        });
        const announceIt = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
        window.addEventListener('eip6963:requestProvider', announceIt);
        announceIt();
      }
    },
    BRIDGE,
    options.legacy ?? false,
    options.announce ?? true,
  );
  return state;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

let axeSource: string | null = null;

/**
 * Runs axe-core in the page (its source evaluated through the DevTools protocol, which the page's
 * CSP does not govern) and answers the serious and critical violations (WCAG 2.x A and AA rules).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  })) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Focuses the element and presses a key: the browser tests act through the keyboard. */
export async function press(page: Page, selector: string, key: 'Enter' | 'Space' = 'Enter'): Promise<void> {
  await page.waitForSelector(selector);
  await page.focus(selector);
  await page.keyboard.press(key);
}

/** Marks the first enabled button whose text contains `text` and answers a selector for it. */
export async function buttonWithText(page: Page, text: string): Promise<string> {
  const id = `b-${Math.random().toString(36).slice(2)}`;
  await page.waitForFunction(
    (wanted: string, mark: string) => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes(wanted) && !b.disabled);
      button?.setAttribute('data-test', mark);
      return Boolean(button);
    },
    { timeout: 15_000 },
    text,
    id,
  );
  return `[data-test="${id}"]`;
}
