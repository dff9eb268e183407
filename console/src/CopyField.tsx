import Button from '@leafygreen-ui/button';
import { Body } from '@leafygreen-ui/typography';
import { useId, useState } from 'react';

interface Props {
  readonly label: string;
  readonly description?: string;
  readonly children: string;
  /** Copy stays disabled while this is true (e.g. until the service exists). */
  readonly disabled?: boolean;
}

/** A labelled command or connection string with a Copy button; the text is focusable so it can be scrolled by keyboard. */
export function CopyField({ label, description, children, disabled = false }: Props) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(children).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="stack" style={{ gap: 4 }}>
      <Body weight="medium" id={`${id}-label`}>
        {label}
      </Body>
      {description && <Body>{description}</Body>}
      <div className="row" style={{ margin: 0, alignItems: 'flex-start', flexWrap: 'nowrap' }}>
        <pre className="cmd" tabIndex={0} aria-labelledby={`${id}-label`} style={{ flex: 1 }}>
          {children}
        </pre>
        <Button disabled={disabled} onClick={copy} aria-label={`Copy ${label}`}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
    </div>
  );
}
