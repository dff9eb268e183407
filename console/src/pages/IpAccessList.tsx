import { useQuery, useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Badge from '@leafygreen-ui/badge';
import Button from '@leafygreen-ui/button';
import ConfirmationModal from '@leafygreen-ui/confirmation-modal';
import Modal from '@leafygreen-ui/modal';
import TextField from '../TextField';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { NetworkPermissionEntryWire } from '../../../src/api/atlas/wire/access-list.wire.js';
import type { PaginatedWire } from '../../../src/api/atlas/wire/common.wire.js';
import { call, problemText, v2 } from '../api';
import { canManageNetwork, hasProjectRole, type Session } from '../session';

const listKey = (groupId: string) => ['accessList', groupId];
const listPath = (groupId: string) => v2(`/groups/${groupId}/accessList`);

/** How long a temporary entry lives, as Atlas's dialog offers it (the API allows at most one week). */
const DURATIONS = [
  { label: '6 hours', ms: 6 * 3600_000 },
  { label: '1 day', ms: 24 * 3600_000 },
  { label: '1 week', ms: 7 * 24 * 3600_000 - 60_000 },
] as const;

/** What the table shows and the delete path names: the address, CIDR block or security group. */
export function entryValue(entry: NetworkPermissionEntryWire): string {
  return entry.ipAddress ?? entry.cidrBlock ?? entry.awsSecurityGroup ?? '';
}

/** The request body for what the person typed: `sg-…` a security group, with `/` a CIDR block, else an address. */
export function entryBody(value: string, comment: string, deleteAfterDate: string | undefined): Record<string, string> {
  const v = value.trim();
  const key = /^sg-/.test(v) ? 'awsSecurityGroup' : v.includes('/') ? 'cidrBlock' : 'ipAddress';
  const body: Record<string, string> = { [key]: v };
  if (comment.trim()) body.comment = comment.trim();
  if (deleteAfterDate) body.deleteAfterDate = deleteAfterDate;
  return body;
}

/**
 * Security → Network Access → IP Access List: the project's entries (address or CIDR block,
 * comment, temporary or active), Add IP Address (entry, comment, optional expiry) and Delete →
 * Confirm. A Project Read Only sees the list and no write buttons.
 */
export function IpAccessList({ session, groupId }: { session: Session; groupId: string }) {
  const canWrite = canManageNetwork(session, groupId);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<NetworkPermissionEntryWire>();
  const list = useQuery({
    queryKey: listKey(groupId),
    queryFn: () => call<PaginatedWire<NetworkPermissionEntryWire>>('GET', `${listPath(groupId)}?itemsPerPage=500`),
    refetchInterval: 10_000,
  });
  const entries = list.data?.results ?? [];
  return (
    <div className="stack" style={{ marginTop: 16 }}>
      <Body>
        Clients that do not use a private endpoint reach the project's clusters only from the addresses on this list. Connections through a private endpoint never consult it.
      </Body>
      {!canWrite && hasProjectRole(session, groupId) && <Banner>Your role in this project is read-only: you can see the IP access list, but not add or delete entries.</Banner>}
      {canWrite && (
        <div className="row">
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add IP Address
          </Button>
        </div>
      )}
      {list.isError && <Banner variant="danger">{problemText(list.error)}</Banner>}
      {list.isPending && <Body>Loading the IP access list…</Body>}
      {list.data && entries.length === 0 && <Body>No IP access list entries yet.{canWrite ? ' Click Add IP Address to add one.' : ''}</Body>}
      {entries.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="IP access list table">
          <table className="lg" aria-label="IP access list">
            <thead>
              <tr>
                <th scope="col">IP Address</th>
                <th scope="col">Comment</th>
                <th scope="col">Status</th>
                {canWrite && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entryValue(entry)} data-entry={entryValue(entry)}>
                  <td>{entry.cidrBlock && entry.ipAddress ? entry.ipAddress : entryValue(entry)}</td>
                  <td>{entry.comment ?? ''}</td>
                  <td data-column="status">
                    {entry.deleteAfterDate ? (
                      <Badge variant="yellow">Temporary: deleted after {new Date(entry.deleteAfterDate).toLocaleString('en-US', { timeZone: 'UTC', timeZoneName: 'short' })}</Badge>
                    ) : (
                      <Badge variant="green">Active</Badge>
                    )}
                  </td>
                  {canWrite && (
                    <td>
                      <Button size="small" variant="danger" onClick={() => setDeleting(entry)} aria-label={`Delete ${entryValue(entry)}`}>
                        Delete
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {adding && <AddEntryDialog groupId={groupId} onClose={() => setAdding(false)} />}
      {deleting && <DeleteEntryDialog groupId={groupId} entry={deleting} onClose={() => setDeleting(undefined)} />}
    </div>
  );
}

/** Atlas's "Add IP Access List Entry" dialog; the API validates and its `detail` is shown as is. */
function AddEntryDialog({ groupId, onClose }: { groupId: string; onClose: () => void }) {
  const client = useQueryClient();
  const [value, setValue] = useState('');
  const [comment, setComment] = useState('');
  const [temporary, setTemporary] = useState(false);
  const [duration, setDuration] = useState(1);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const deleteAfterDate = temporary ? new Date(Date.now() + DURATIONS[duration]!.ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
      await call('POST', listPath(groupId), [entryBody(value, comment, deleteAfterDate)]);
      await client.invalidateQueries({ queryKey: listKey(groupId) });
      onClose();
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      setOpen={(open) => {
        if (!open) onClose();
      }}
      aria-labelledby="add-ip-title"
    >
      <div className="stack">
        <H3 as="h2" id="add-ip-title">
          Add IP Access List Entry
        </H3>
        {error && <Banner variant="danger">{error}</Banner>}
        <div className="row">
          <Button size="small" onClick={() => setValue('0.0.0.0/0')}>
            Allow Access from Anywhere
          </Button>
        </div>
        <TextField
          id="access-list-entry"
          label="Access List Entry"
          description="An IP address (IPv4 or IPv6), a CIDR block such as 10.0.0.0/16, or an AWS security group ID."
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <TextField id="access-list-comment" label="Comment" optional description="Up to 80 characters." value={comment} onChange={(e) => setComment(e.target.value)} />
        <div className="row">
          <label>
            <input type="checkbox" checked={temporary} onChange={(e) => setTemporary(e.target.checked)} /> This entry is temporary and will be deleted in
          </label>
          <span className="native-select">
            <select aria-label="Delete after" value={duration} disabled={!temporary} onChange={(e) => setDuration(Number(e.target.value))}>
              {DURATIONS.map((d, i) => (
                <option key={d.label} value={i}>
                  {d.label}
                </option>
              ))}
            </select>
          </span>
        </div>
        <div className="row">
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" disabled={busy || !value.trim()} onClick={confirm}>
            Confirm
          </Button>
        </div>
      </div>
    </Modal>
  );
}

function DeleteEntryDialog({ groupId, entry, onClose }: { groupId: string; entry: NetworkPermissionEntryWire; onClose: () => void }) {
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const value = entryValue(entry);
  const confirm = async () => {
    try {
      await call('DELETE', `${listPath(groupId)}/${encodeURIComponent(value)}`);
      await client.invalidateQueries({ queryKey: listKey(groupId) });
      onClose();
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <ConfirmationModal open title="Delete IP access list entry?" buttonText="Confirm" variant="danger" onConfirm={confirm} onCancel={onClose}>
      <Body>Clients at {value} can no longer connect over the public path. Connections through private endpoints are not affected.</Body>
      {error && <Banner variant="danger">{error}</Banner>}
    </ConfirmationModal>
  );
}
