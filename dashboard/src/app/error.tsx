'use client';

import { useEffect } from 'react';

/** Last-resort boundary for render errors; data errors are handled where the data is shown. */
export default function RootError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main className="container page">
      <div className="card state state-error" role="alert">
        <p className="state-title">Something went wrong</p>
        <p>The page hit an unexpected error. Reloading usually helps.</p>
        <button type="button" className="btn" onClick={reset}>
          Try again
        </button>
      </div>
    </main>
  );
}
