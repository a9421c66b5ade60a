/** Which reminders to get: the three events of a Subscribe and N for "closes in N hours and I have not voted". */
export type EventChoice = { proposal: boolean; closing: boolean; results: boolean; closingHours: string };

export function ReminderEvents({ value, onChange }: { value: EventChoice; onChange: (next: EventChoice) => void }) {
  const toggle = (name: 'proposal' | 'closing' | 'results') => onChange({ ...value, [name]: !value[name] });
  return (
    <fieldset>
      <legend>Email me when</legend>
      <label>
        <input type="checkbox" name="proposal" checked={value.proposal} onChange={() => toggle('proposal')} /> a new proposal is made
      </label>
      <label>
        <input type="checkbox" name="closing" checked={value.closing} onChange={() => toggle('closing')} /> a vote closes in{' '}
        {/* min/max are hints only: the server checks the bounds. */}
        <input
          type="number"
          name="closingHours"
          min={1}
          max={720}
          inputMode="numeric"
          aria-label="hours before closing"
          value={value.closingHours}
          onChange={(e) => onChange({ ...value, closingHours: e.target.value })}
        />{' '}
        hours and I have not voted
      </label>
      <label>
        <input type="checkbox" name="results" checked={value.results} onChange={() => toggle('results')} /> a vote closes, with its results
      </label>
    </fieldset>
  );
}
