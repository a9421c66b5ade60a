/**
 * The proposal page's payload section, loaded on demand: each call for people with its simulation
 * from the executor, and the operation id with every input to recompute it.
 */
import { apiGet } from '../api/client';
import { useApi } from '../api/useApi';
import { ErrorNote, Loading } from '../components/Status';
import { PayloadCalls } from './PayloadCalls';

export default function PayloadView({ id }: { id: string }) {
  const data = useApi(`payload:${id}`, (signal) => apiGet('/api/proposals/{id}/payload', { path: { id }, signal }));
  if (data.status === 'loading') return <Loading what="payload" />;
  if (data.status === 'error') return <ErrorNote error={data.error} />;
  const p = data.data;
  if (p.calls.length === 0) return null;
  return (
    <div className="payload">
      <h3>What it executes</h3>
      <PayloadCalls calls={p.calls} block={p.simulation?.block ?? null} />
      {p.operation ? (
        <details className="operation">
          <summary>Operation id {p.operation.operationId.slice(0, 10)}… and how to recompute it</summary>
          <p>
            Operation id <code className="hash">{p.operation.operationId}</code>
          </p>
          <p className="muted">{p.operation.formula}</p>
          <dl>
            <dt>timelock</dt>
            <dd>
              <code>{p.operation.timelock}</code>
            </dd>
            <dt>predecessor</dt>
            <dd>
              <code className="hash">{p.operation.predecessor}</code>
            </dd>
            <dt>salt</dt>
            <dd>
              <code className="hash">{p.operation.salt}</code>
            </dd>
            {p.operation.description ? (
              <>
                <dt>description</dt>
                <dd>
                  <pre>{p.operation.description}</pre>
                </dd>
              </>
            ) : null}
            <dt>targets, values, calldatas</dt>
            <dd>
              <pre>{JSON.stringify({ targets: p.operation.targets, values: p.operation.values, calldatas: p.operation.calldatas }, null, 1)}</pre>
            </dd>
          </dl>
        </details>
      ) : null}
    </div>
  );
}
