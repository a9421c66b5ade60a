/**
 * A proposal body: Markdown rendered by `marked`, then sanitised by DOMPurify (no scripts, no event
 * handlers, no javascript: or data: links, no iframes or forms). Links open in a new tab with
 * rel="noopener noreferrer". Raw HTML in the source is shown as text, not interpreted; images are dropped
 * (they would load from anywhere, and the CSP refuses them).
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';

const marked = new Marked({ gfm: true, breaks: false, async: false });
marked.use({
  renderer: {
    // Inline or block HTML in a body is shown literally: members read it, browsers never run it.
    html({ text }) {
      return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    },
  },
});

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (!/^(https?:|mailto:|#|\/)/i.test(href)) node.removeAttribute('href');
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return purifier.sanitize(html, {
    FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'],
    FORBID_ATTR: ['style', 'id', 'class'],
    ALLOW_DATA_ATTR: false,
  });
}

export function Markdown({ source }: { source: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
