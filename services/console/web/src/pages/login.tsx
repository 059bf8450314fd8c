import { useState } from 'preact/hooks';
import { Me, post } from '../api';

/**
 * Takes the token once; the server answers with an HttpOnly session cookie (the page keeps nothing:
 * the token is posted in the body, never put in a URL or in storage, and the field is emptied).
 * The gateway is needed only when the token's Keycloak realm serves several gateways.
 */
export function LoginPage(p: { onLogin: (me: Me) => void }) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const tokenInput = form.elements.namedItem('token') as HTMLInputElement;
    const gateway = (form.elements.namedItem('gateway') as HTMLInputElement).value.trim();
    setBusy(true);
    setError(undefined);
    try {
      const me = await post<Me>('/api/session', { token: tokenInput.value.trim(), ...(gateway === '' ? {} : { gateway }) });
      tokenInput.value = '';
      p.onLogin({ ...me, authenticated: true });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="login">
      <h1>msched console</h1>
      <p>Log in with your Keycloak access token (the one your gateway's portal got), or with the meta-scheduler's API token (operators) or the console's read-only viewer token.</p>
      {/* method=post: should the script not stop the submission, the token still stays out of the URL. */}
      <form method="post" onSubmit={(e) => void submit(e)}>
        <label>Access token
          <input name="token" type="password" autoComplete="off" placeholder="token" required maxLength={8192} />
        </label>
        <label>Gateway <span class="muted small">(optional: only when your realm serves several gateways)</span>
          <input name="gateway" type="text" autoComplete="on" placeholder="gateway id, e.g. seagrid" maxLength={256} spellcheck={false} />
        </label>
        <button type="submit" disabled={busy}>Log in</button>
      </form>
      {error && <div class="error" role="alert">{error}</div>}
    </section>
  );
}
