/** A problem the person can act on, announced to screen readers as it appears. */
export function Alert({ children }: { children: React.ReactNode }) {
  return (
    <p className="alert" role="alert">
      {children}
    </p>
  );
}
