"use client";
import { useState } from "react";

/** Posts the credentials as JSON; the server sets the session cookie and answers where to go. */
export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/auth/sign-in", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
      });
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      if (!response.ok) {
        setError(body.error ?? `Sign-in failed (HTTP ${response.status}).`);
        return;
      }
      window.location.assign(next);
    } catch {
      setError("Signalbox did not answer. Check that the server is running, then try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="sign-in-form" onSubmit={submit} data-testid="sign-in-form">
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required maxLength={254} autoFocus data-testid="sign-in-email" />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required maxLength={200} data-testid="sign-in-password" />
      </label>
      {error && (
        <p className="error-text" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={pending} data-testid="sign-in-submit">
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
