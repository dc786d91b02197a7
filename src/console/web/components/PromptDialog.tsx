import { useEffect, useRef, useState } from 'preact/hooks';

export interface PromptDialogProps {
  title: string;
  label: string;
  confirmLabel: string;
  onConfirm: (value: string) => void;
  onCancel: () => void;
}

/**
 * Modal asking for one required line of text (e.g. the reason for discarding a dead letter).
 * Escape cancels; the confirm button stays disabled until something is typed.
 *
 * @example
 * <PromptDialog title="Discard" label="Reason" confirmLabel="Discard" onConfirm={go} onCancel={close} />
 */
export function PromptDialog({ title, label, confirmLabel, onConfirm, onCancel }: PromptDialogProps) {
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <div class="backdrop" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <form
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) onConfirm(value.trim());
        }}
      >
        <h3>{title}</h3>
        <label>
          {label}
          <input ref={input} name="reason" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="button" onClick={onCancel}>Cancel</button>
          <button type="submit" class="danger" disabled={!value.trim()}>{confirmLabel}</button>
        </div>
      </form>
    </div>
  );
}
