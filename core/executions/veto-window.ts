/**
 * How long before an operation's ready time (ETA) the council may still veto it.
 *
 * Vetoes are accepted until VETO_GUARD_SECONDS before the ETA, not until the ETA itself, because a veto
 * only helps if its cancel is mined before anyone can execute: the timelock's executors may include
 * others than the relayer (an open EXECUTOR_ROLE lets anyone execute at the ETA), and the relayer's
 * cancel transaction needs blocks to be mined. The guard also covers an RPC node whose head lags the
 * chain by a few blocks. Against the relayer's own execute step the rule is exact, whatever the guard:
 * the Veto handler reads the chain's clock under the proposal's exclusive lock, and the execute step
 * re-reads the veto state under that same lock after it saw the operation Ready, so either the veto is
 * refused or the execute is not sent (relayer/README.md, "Veto vs execute").
 */
export const VETO_GUARD_SECONDS = 600;

/** The last moment (exclusive) a veto of an operation ready at `eta` is accepted. */
export function vetoDeadline(eta: Date): Date {
  return new Date(eta.getTime() - VETO_GUARD_SECONDS * 1000);
}
