import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import TextField from './TextField';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { DatabaseUserWire } from '../../src/api/atlas/wire/database-users.wire.js';
import { call, problemText, v2 } from './api';

export const databaseUsersKey = (groupId: string) => ['databaseUsers', groupId];
export const databaseUsersPath = (groupId: string) => v2(`/groups/${groupId}/databaseUsers`);

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A secure password as Atlas's "Autogenerate Secure Password" makes one: 16 letters and digits from the browser's CSPRNG. */
export function securePassword(length = 16): string {
  const out: string[] = [];
  const bytes = new Uint8Array(1);
  while (out.length < length) {
    crypto.getRandomValues(bytes);
    // Rejection sampling keeps every character equally likely.
    if (bytes[0]! < 256 - (256 % ALPHABET.length)) out.push(ALPHABET[bytes[0]! % ALPHABET.length]!);
  }
  return out.join('');
}

interface Props {
  readonly groupId: string;
  /** Told the new user's name and password once the API created it. */
  readonly onCreated: (username: string, password: string) => void;
}

/**
 * "Create a MongoDB User", shown by the Connect dialog when the project has none: Username,
 * Password (or Autogenerate Secure Password), Create Database User. The user gets the Atlas Admin
 * role (`atlasAdmin` on `admin`), as Atlas's prompt does, through the database-users API.
 */
export function CreateDatabaseUser({ groupId, onCreated }: Props) {
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const user = await call<DatabaseUserWire>('POST', databaseUsersPath(groupId), {
        databaseName: 'admin',
        username: username.trim(),
        password,
        roles: [{ databaseName: 'admin', roleName: 'atlasAdmin' }],
      });
      onCreated(user.username, password);
      await client.invalidateQueries({ queryKey: databaseUsersKey(groupId) });
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="stack" aria-labelledby="create-user-title" style={{ gap: 8 }}>
      <Body weight="medium" id="create-user-title">
        Create a MongoDB User
      </Body>
      <Body>This project has no MongoDB users. To access the cluster, create one with the Atlas Admin role, then use it to connect in the following step.</Body>
      {error && <Banner variant="danger">{error}</Banner>}
      <TextField id="db-username" label="Username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <TextField id="db-password" label="Password" type="text" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        <Button onClick={() => setPassword(securePassword())}>Autogenerate Secure Password</Button>
      </div>
      <div className="row">
        <Button variant="primary" disabled={busy || !username.trim() || !password} onClick={create}>
          Create Database User
        </Button>
      </div>
    </section>
  );
}
