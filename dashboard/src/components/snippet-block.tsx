import { CopyButton } from './copy-button';

/** The tracking `<script>` tag with a copy button. */
export function SnippetBlock({ snippet }: { snippet: string }) {
  return (
    <div className="copy-row">
      <pre className="code-block" data-testid="snippet" aria-label="Tracking snippet">
        {snippet}
      </pre>
      <CopyButton text={snippet} label="Copy snippet" />
    </div>
  );
}
