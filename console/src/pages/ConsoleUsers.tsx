import { useQuery, useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import ConfirmationModal from '@leafygreen-ui/confirmation-modal';
import TextField from '../TextField';
import { Body, H2, H3 } from '@leafygreen-ui/typography';
import { useState, type FormEvent } from 'react';
import type { ConsoleUserListWire, ConsoleUserWire } from '../../../src/api/atlas/wire/console-users.wire.js';
import type { ProjectWire } from '../../../src/api/atlas/wire/identity.wire.js';
import { call, problemText, v2 } from '../api';
import { isOrgOwner, type Session } from '../session';

const ORG_ROLES = [
  ['ORG_MEMBER', 'Organization Member'],
  ['ORG_READ_ONLY', 'Organization Read Only'],
  ['ORG_GROUP_CREATOR', 'Organization Project Creator'],
  ['ORG_BILLING_ADMIN', 'Organization Billing Admin'],
  ['ORG_OWNER', 'Organization Owner'],
] as const;

const PROJECT_ROLES = [
  ['GROUP_READ_ONLY', 'Project Read Only'],
  ['GROUP_CLUSTER_MANAGER', 'Project Cluster Manager'],
  ['GROUP_OWNER', 'Project Owner'],
] as const;

const ROLE_NAMES: Record<string, string> = Object.fromEntries([...ORG_ROLES, ...PROJECT_ROLES]);

const usersKey = (orgId: string) => ['consoleUsers', orgId];
const usersPath = (orgId: string) => v2(`/orgs/${orgId}/privlink/consoleUsers`);

/**
 * Organization → Access Manager → Users: the organization's console users (people who sign in
 * with email and password), an Add New User form (email, password, organization role and,
 * optionally, a role in one project) and Delete → Confirm. Organization Owners only: the API
 * refuses others, and the page says so.
 */
export function ConsoleUsers({ session, orgId, projects }: { session: Session; orgId: string; projects: readonly ProjectWire[] }) {
  const owner = isOrgOwner(session, orgId);
  const [deleting, setDeleting] = useState<ConsoleUserWire>();
  const list = useQuery({ queryKey: usersKey(orgId), queryFn: () => call<ConsoleUserListWire>('GET', usersPath(orgId)), enabled: owner });
  const projectName = (groupId: string) => projects.find((p) => p.id === groupId)?.name ?? groupId;
  const rolesText = (user: ConsoleUserWire) =>
    user.roles.map((r) => ('groupId' in r ? `${ROLE_NAMES[r.roleName] ?? r.roleName} (${projectName(r.groupId)})` : (ROLE_NAMES[r.roleName] ?? r.roleName))).join(', ');
  return (
    <div className="stack">
      <H2 as="h1">Organization Access Manager</H2>
      <H3 as="h2">Users</H3>
      {!owner && <Banner>Only an Organization Owner manages the organization's console users.</Banner>}
      {owner && (
        <>
          <Body>Console users sign in to this console with their email and password, and act with the roles given here, as an API key with the same roles would.</Body>
          {list.isError && <Banner variant="danger">{problemText(list.error)}</Banner>}
          {list.isPending && <Body>Loading users…</Body>}
          {list.data && list.data.results.length === 0 && <Body>No console users yet.</Body>}
          {list.data && list.data.results.length > 0 && (
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Console users table">
              <table className="lg" aria-label="Console users">
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Roles</th>
                    <th scope="col">Created</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.results.map((user) => (
                    <tr key={user.id} data-user={user.username}>
                      <td>{user.username}</td>
                      <td>{rolesText(user)}</td>
                      <td>{new Date(user.created).toLocaleString('en-US', { timeZone: 'UTC', timeZoneName: 'short' })}</td>
                      <td>
                        <Button size="small" variant="danger" onClick={() => setDeleting(user)} aria-label={`Delete ${user.username}`}>
                          Delete
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <AddUserForm orgId={orgId} projects={projects} />
        </>
      )}
      {deleting && <DeleteUserDialog orgId={orgId} user={deleting} onClose={() => setDeleting(undefined)} />}
    </div>
  );
}

/** Add New User: the API validates (email, password length, roles the caller holds); its `detail` is shown as is. */
function AddUserForm({ orgId, projects }: { orgId: string; projects: readonly ProjectWire[] }) {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [orgRole, setOrgRole] = useState<string>('ORG_MEMBER');
  const [groupId, setGroupId] = useState('');
  const [projectRole, setProjectRole] = useState<string>('GROUP_READ_ONLY');
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setCreated(undefined);
    try {
      const roles = [{ orgId, roleName: orgRole }, ...(groupId ? [{ groupId, roleName: projectRole }] : [])];
      const user = await call<ConsoleUserWire>('POST', usersPath(orgId), { username: email, password, roles });
      await client.invalidateQueries({ queryKey: usersKey(orgId) });
      setCreated(user.username);
      setEmail('');
      setPassword('');
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="add-user-title" style={{ maxWidth: 480 }}>
      <H3 as="h2" id="add-user-title">
        Add New User
      </H3>
      {error && <Banner variant="danger">{error}</Banner>}
      {created && <Banner variant="success">Console user {created} created: they can sign in now.</Banner>}
      <TextField id="new-user-email" label="Email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} required />
      <TextField
        id="new-user-password"
        label="Password"
        type="password"
        autoComplete="new-password"
        description="At least 12 characters."
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
      />
      <div className="native-select">
        <label htmlFor="new-user-org-role">Organization Role</label>
        <select id="new-user-org-role" value={orgRole} onChange={(e) => setOrgRole(e.target.value)}>
          {ORG_ROLES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="native-select">
        <label htmlFor="new-user-project">Project Access</label>
        <select id="new-user-project" value={groupId} onChange={(e) => setGroupId(e.target.value)}>
          <option value="">No project role</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="native-select">
        <label htmlFor="new-user-project-role">Project Role</label>
        <select id="new-user-project-role" value={projectRole} disabled={!groupId} onChange={(e) => setProjectRole(e.target.value)}>
          {PROJECT_ROLES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="row">
        <Button type="submit" variant="primary" disabled={busy || !email.trim() || !password}>
          Create User
        </Button>
      </div>
    </form>
  );
}

function DeleteUserDialog({ orgId, user, onClose }: { orgId: string; user: ConsoleUserWire; onClose: () => void }) {
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const confirm = async () => {
    try {
      await call('DELETE', `${usersPath(orgId)}/${user.id}`);
      await client.invalidateQueries({ queryKey: usersKey(orgId) });
      onClose();
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <ConfirmationModal open title={`Delete ${user.username}?`} buttonText="Confirm" variant="danger" onConfirm={confirm} onCancel={onClose}>
      <Body>The user can no longer sign in, and their open console sessions end now.</Body>
      {error && <Banner variant="danger">{error}</Banner>}
    </ConfirmationModal>
  );
}
