// The two states every list and page shows before its data: loading, and could not load. One
// component each, so every screen looks and reads the same while waiting or failing.

/** A card-sized placeholder while the first answer loads. */
export function CardSkeleton({ height = 120, testId }: { height?: number; testId?: string }) {
  return (
    <div className="card" data-testid={testId}>
      <div className="skeleton" style={{ height }} />
    </div>
  );
}

/** What could not be read, and the server's reason for it (always as text). */
export function LoadFailed({ what, error, testId }: { what: string; error: { message: string }; testId?: string }) {
  return (
    <div className="banner bad" role="alert" data-testid={testId}>
      <strong>Could not load {what}</strong>
      <span>{error.message}</span>
    </div>
  );
}
