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
      {copied ? '✓' : '⧉'}
    </button>
  );
}
