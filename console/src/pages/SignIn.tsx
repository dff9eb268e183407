import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import TextField from '../TextField';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useState, type FormEvent } from 'react';
import { call, problemText, setCsrfToken } from '../api';
import { SESSION_PATH, type Session } from '../session';

type Method = 'email' | 'apiKey';

/**
 * Sign in as a console user (email + password) or with an organization API key (public + private
 * key); the server keeps the session, the browser only its HttpOnly cookie.
 */
/** The two fields of each way in: the name (email or public key), then the secret (id, label, input type). */
const EMAIL_FIELDS = [
  ['email', 'Email', 'email'],
  ['password', 'Password', 'password'],
] as const;
const API_KEY_FIELDS = [
  ['public-key', 'Public Key', 'text'],
  ['private-key', 'Private Key', 'password'],
] as const;

export function SignIn() {
  const client = useQueryClient();
  const [method, setMethod] = useState<Method>('email');
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const choose = (next: Method) => {
    setMethod(next);
    setName('');
    setSecret('');
    setError(undefined);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = method === 'email' ? { email: name, password: secret } : { publicKey: name, privateKey: secret };
      const session = await call<Session>('POST', SESSION_PATH, body);
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
        <div className="subtabs" role="group" aria-label="Sign in with">
          <Button size="small" variant={method === 'email' ? 'primary' : 'default'} aria-pressed={method === 'email'} onClick={() => choose('email')}>
            Email
          </Button>
          <Button size="small" variant={method === 'apiKey' ? 'primary' : 'default'} aria-pressed={method === 'apiKey'} onClick={() => choose('apiKey')}>
            API key
          </Button>
        </div>
        <Body>
          {method === 'email'
            ? 'Use the email address and password of your console user. The console acts with your roles.'
            : "Use an organization API key: its public key and private key. The console acts with the key's roles."}
        </Body>
        {error && <Banner variant="danger">{error}</Banner>}
        {(method === 'email' ? EMAIL_FIELDS : API_KEY_FIELDS).map(([id, label, type], i) => (
          <TextField
            key={id}
            id={id}
            label={label}
            type={type}
            autoComplete={i === 0 ? 'username' : 'current-password'}
            value={i === 0 ? name : secret}
            onChange={(e) => (i === 0 ? setName : setSecret)(e.target.value)}
            required
          />
        ))}
        <Button type="submit" variant="primary" disabled={busy || !name || !secret}>
          Sign In
        </Button>
      </form>
    </main>
  );
}
