/**
 * A LogSource whose leaves are read ahead: log-check.ts mirrors the whole log page by page
 * ([0, 1000), [1000, 2000) … up to the latest head's size), one page after another, and only once
 * the tallies are recounted. Wrapped in prefetchLeaves, the head is read once (the same head for the
 * read-ahead and for checkLog), and as soon as `start()` is called those pages are requested a few at
 * a time (default 4) while the verifier is still reading the proposal's messages; checkLog then gets
 * each page from what was read ahead, in its own order, so its results are the same. A page it asks
 * for that was not planned (another range) is read from the source as before.
 */
import type { LogLeaf, LogSource, TreeHead } from './log-check.js';

/** Leaves per request: the server's maximum range, and the one checkLog asks for. */
const PAGE = 1000;

export function prefetchLeaves(source: LogSource, concurrency = 4): LogSource & { start(): void } {
  let head: Promise<TreeHead | null> | null = null;
  const readHead = () => (head ??= source.head());
  /** Pages by their first index, each read once and handed over once. */
  const pages = new Map<number, { end: number; leaves: Promise<LogLeaf[]> }>();
  let started = false;

  const start = () => {
    if (started) return;
    started = true;
    readHead()
      .then((latest) => {
        const size = latest?.treeSize ?? 0;
        const plan: { start: number; end: number; read: (leaves: Promise<LogLeaf[]>) => void }[] = [];
        for (let from = 0; from < size; from += PAGE) {
          const end = Math.min(from + PAGE, size);
          let read!: (leaves: Promise<LogLeaf[]>) => void;
          const leaves = new Promise<LogLeaf[]>((resolve) => (read = resolve));
          // checkLog awaits the page when it gets there; a failure before then is not unhandled.
          leaves.catch(() => undefined);
          pages.set(from, { end, leaves });
          plan.push({ start: from, end, read });
        }
        // At most `concurrency` requests in flight, in index order.
        let next = 0;
        const lane = async (): Promise<void> => {
          while (next < plan.length) {
            const page = plan[next++]!;
            const leaves = source.leaves(page.start, page.end);
            page.read(leaves);
            await leaves.catch(() => undefined);
          }
        };
        for (let i = 0; i < Math.min(concurrency, plan.length); i++) void lane();
      })
      // No head (or it failed): checkLog reads the head itself and sees the same answer.
      .catch(() => undefined);
  };

  return {
    start,
    head: readHead,
    headAt: (size) => source.headAt(size),
    inclusion: (id, size) => source.inclusion(id, size),
    consistency: (from, to) => source.consistency(from, to),
    leaves: (from, end) => {
      const page = pages.get(from);
      if (!page || page.end !== end) return source.leaves(from, end);
      pages.delete(from);
      return page.leaves;
    },
    message: (id) => source.message(id),
    ...(source.proposalMessageIds ? { proposalMessageIds: (proposalId: string) => source.proposalMessageIds!(proposalId) } : {}),
  };
}
