/** An inline error line for a failed load or action; keeps the page usable. */
export function ErrorLine({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return <div class="error-line" role="alert">{error.message}</div>;
}

/** A quiet empty state. */
export function Empty({ children }: { children: preact.ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

/** "updated 00:45:12" stamp for polled panels. */
export function Updated({ at }: { at: Date | undefined }) {
  if (!at) return <span class="updated">loading…</span>;
  return <span class="updated">updated {at.toLocaleTimeString('en-GB')}</span>;
}
