import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import TextInput from '@leafygreen-ui/text-input';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useState, type FormEvent } from 'react';
import { call, problemText, setCsrfToken } from '../api';
import { SESSION_PATH, type Session } from '../session';

/** Sign in with an organization API key (public + private key); the server keeps the session. */
export function SignIn() {
  const client = useQueryClient();
  const [publicKey, setPublicKey] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await call<Session>('POST', SESSION_PATH, { publicKey, privateKey });
      setCsrfToken(session.csrfToken);
      client.setQueryData(['session'], session);
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main>
      <form className="signin" onSubmit={submit} aria-label="Sign in">
        <H2 as="h1">Sign in to privlink</H2>
        <Body>Use an organization API key: its public key and private key. The console acts with the key's roles.</Body>
        {error && <Banner variant="danger">{error}</Banner>}
        <TextInput id="public-key" label="Public Key" autoComplete="username" value={publicKey} onChange={(e) => setPublicKey(e.target.value)} required />
        <TextInput
          id="private-key"
          label="Private Key"
          type="password"
          autoComplete="current-password"
          value={privateKey}
          onChange={(e) => setPrivateKey(e.target.value)}
          required
        />
        <Button type="submit" variant="primary" disabled={busy || !publicKey || !privateKey}>
          Sign In
        </Button>
      </form>
    </main>
  );
}
