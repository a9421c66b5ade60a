import { useState } from 'react';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard refused (insecure context or permission): the full text is in the tooltip.
      setCopied(false);
    }
  };
  return (
    <button type="button" className="copy" onClick={copy} aria-label={label} title={label}>
      <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        {copied ? (
          <path d="M2 8.5l4 4L14 4" fill="none" stroke="currentColor" strokeWidth="2" />
        ) : (
          <path d="M5 1h9v11h-2V3H5zM2 4h8v11H2z" fill="currentColor" fillRule="evenodd" />
        )}
      </svg>
    </button>
  );
}
