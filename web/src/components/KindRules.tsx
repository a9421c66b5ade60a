import type { ProposalRules } from '../api/types';

/**
 * The proposal's kind and the rules of it that the stages panel does not already show (payload limits,
 * executor permissions, gate, late-quorum extension), as the server reports them
 * (GET /api/proposals/{id}/rules): printed, never re-derived, so the app holds no copy of a rule.
 */
export function KindRules({ rules }: { rules: ProposalRules }) {
  const definition = (rules.kind.definition ?? {}) as Record<string, unknown>;
  const shown = Object.entries(definition).filter(([key]) => key !== 'stages');
  return (
    <section aria-labelledby="kind-heading" data-testid="kind">
      <h2 id="kind-heading">
        Kind: <span data-testid="kind-name">{rules.kind.name}</span>
      </h2>
      <dl className="kind-rules">
        <dt>Late-quorum extension</dt>
        <dd data-testid="kind-late-quorum">{rules.lateQuorumExtension > 0 ? `${rules.lateQuorumExtension} s` : 'off'}</dd>
        {shown.map(([key, value]) => (
          <div key={key} data-rule={key}>
            <dt>{key}</dt>
            <dd>
              <code>{JSON.stringify(value)}</code>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
