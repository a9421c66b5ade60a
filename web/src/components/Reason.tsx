import { useState } from 'react';

const SHORT = 280;

/** A vote's reason as plain text; a long one shows its start and expands on demand. */
export function Reason({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  if (text.length <= SHORT) return <span className="reason-text">{text}</span>;
  return (
    <>
      <span className="reason-text">{open ? text : `${text.slice(0, SHORT)}…`}</span>{' '}
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Show less' : `Show all (${text.length.toLocaleString()} characters)`}
      </button>
    </>
  );
}
