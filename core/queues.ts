/** BullMQ queue names and job shapes shared by the server (producer) and the relayer (consumer). */
export const QUEUE_NAMES = {
  /** Delayed jobs that fire proposal transitions on time. Consumed by the server. */
  lifecycle: 'lifecycle',
  /** Proposals that passed and wait for on-chain execution. Consumed by the relayer. */
  execution: 'execution',
  /** The relayer's repeatable job that anchors the log's latest tree head on chain (relayer/log-anchor.ts). */
  logAnchor: 'log-anchor',
} as const;

export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

export interface LifecycleJobData {
  proposalId: string;
}

export interface ExecutionJobData {
  proposalId: string;
}

/**
 * The name of the job the server adds to the execution queue when a proposal is queued for
 * execution (server/lifecycle/bull-adapters.ts); the relayer's worker turns it into the first step.
 */
export const EXECUTION_INTAKE_JOB = 'execute';

/** One execution job per proposal: BullMQ drops a second add with the same id while the first exists. */
export function executionJobId(proposalId: string): string {
  return `execute-${proposalId}`;
}
