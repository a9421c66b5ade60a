/** The execution status of GET /api/proposals/:id (docs/api.md, "Execution status"). */
export interface ExecutionStatus {
  status: 'queued' | 'voting' | 'scheduled' | 'executed' | 'cancelled' | 'failed' | string;
  operationId: string | null;
  scheduleTx: string | null;
  eta: string | null;
  executeTx: string | null;
  executeBlock: string | null;
  reason: string | null;
  updatedAt: string;
}

export const executionOf = (p: { executionStatus: unknown }) => (p.executionStatus ?? null) as ExecutionStatus | null;

/** What a closing transition's detail carries (server/lifecycle/engine.ts). */
export interface StageCloseDetail {
  stage: number;
  outcome: string;
  totalPower: string;
  voterCount: number;
  scores: string[];
}
