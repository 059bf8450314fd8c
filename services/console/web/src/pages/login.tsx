import { useState } from 'preact/hooks';
import { Me, post } from '../api';

/** Takes the API token once; the server answers with an HttpOnly session cookie (the page keeps nothing). */
export function LoginPage(p: { onLogin: (me: Me) => void }) {
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('token') as HTMLInputElement;
    try {
      const me = await post<{ name: string; canOperate: boolean }>('/api/session', { token: input.value.trim() });
      input.value = '';
      p.onLogin({ ...me, authenticated: true });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section class="login">
      <h1>msched console</h1>
      <p>Log in with the meta-scheduler's API token (operators may cancel and replay) or the console's read-only viewer token.</p>
      <form onSubmit={(e) => void submit(e)}>
        <input name="token" type="password" autoComplete="off" placeholder="token" required maxLength={8192} />
        <button type="submit">Log in</button>
      </form>
      {error && <div class="error" role="alert">{error}</div>}
    </section>
  );
}
