import { useQuery } from '@tanstack/react-query';
import Badge from '@leafygreen-ui/badge';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import Modal from '@leafygreen-ui/modal';
import { Body, H2, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { ClusterWire } from '../../../src/api/atlas/wire/clusters.wire.js';
import type { PaginatedWire } from '../../../src/api/atlas/wire/common.wire.js';
import { call, problemText } from '../api';
import { CopyField } from '../CopyField';
import { CreateDatabaseUser, databaseUsersKey, databaseUsersPath } from '../CreateDatabaseUser';
import { statusText } from '../endpoints';
import { canManageClusters, canManageDatabaseUsers, hasProjectRole, type Session } from '../session';
import { clustersKey, clustersApiPath, CreateCluster } from './CreateCluster';
import { TerminateCluster } from './TerminateCluster';
import type { DatabaseUserWire } from '../../../src/api/atlas/wire/database-users.wire.js';

/**
 * Database: the project's clusters with their live state, each with its Connect dialog; Create
 * and Terminate → Confirm for those who may change clusters (none for Read Only).
 */
export function Database({ session, groupId, projectName }: { session: Session; groupId: string; projectName: string | undefined }) {
  const clusters = useQuery({
    queryKey: clustersKey(groupId),
    queryFn: () => call<PaginatedWire<ClusterWire>>('GET', `${clustersApiPath(groupId)}?itemsPerPage=500`),
    refetchInterval: 2000,
  });
  const canWrite = canManageClusters(session, groupId);
  const [creating, setCreating] = useState(false);
  const [terminating, setTerminating] = useState<string>();
  const [connecting, setConnecting] = useState<string>();
  const cluster = clusters.data?.results.find((c) => c.name === connecting);
  return (
    <div className="stack">
      <H2 as="h1">Database Deployments{projectName ? ` — ${projectName}` : ''}</H2>
      {!canWrite && hasProjectRole(session, groupId) && (
        <Banner>Your role in this project is read-only: you can see clusters and connect to them, but not create or terminate them.</Banner>
      )}
      {canWrite && (
        <div className="row">
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create
          </Button>
        </div>
      )}
      {clusters.isError && <Banner variant="danger">{problemText(clusters.error)}</Banner>}
      {clusters.isPending && <Body>Loading clusters…</Body>}
      {clusters.data?.results.length === 0 && <Body>No clusters in this project yet.{canWrite ? ' Click Create to deploy one.' : ''}</Body>}
      {clusters.data && clusters.data.results.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Clusters table">
          <table className="lg" aria-label="Clusters">
            <thead>
              <tr>
                <th scope="col">Cluster</th>
                <th scope="col">Tier</th>
                <th scope="col">Provider and region</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {clusters.data.results.map((c) => {
                const region = c.replicationSpecs[0]?.regionConfigs[0];
                return (
                  <tr key={c.id} data-cluster={c.name}>
                    <td>{c.name}</td>
                    <td>{region?.electableSpecs.instanceSize ?? '—'}</td>
                    <td>
                      {region?.backingProviderName ?? region?.providerName ?? '—'} {region?.regionName ?? ''}
                    </td>
                    <td data-column="state">
                      <Badge variant={c.stateName === 'IDLE' ? 'green' : c.stateName === 'DELETING' ? 'red' : 'blue'}>{statusText(c.stateName)}</Badge>
                    </td>
                    <td>
                      <div className="actions">
                        <Button size="small" onClick={() => setConnecting(c.name)}>
                          Connect
                        </Button>
                        {canWrite && c.stateName !== 'DELETING' && (
                          <Button size="small" variant="danger" aria-label={`Terminate ${c.name}`} onClick={() => setTerminating(c.name)}>
                            Terminate
                          </Button>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {creating && <CreateCluster groupId={groupId} onClose={() => setCreating(false)} />}
      {terminating && <TerminateCluster groupId={groupId} clusterName={terminating} onClose={() => setTerminating(undefined)} />}
      {cluster && <ConnectDialog session={session} groupId={groupId} cluster={cluster} onClose={() => setConnecting(undefined)} />}
    </div>
  );
}

/**
 * Connect to a cluster, as Atlas's dialog: the connection type (Standard Connection or Private
 * Endpoint), the private endpoint, "Create a MongoDB User" when the project has none, then the
 * connection method (drivers, mongosh, command line tools) with the user's name filled in, each
 * string with Copy.
 */
function ConnectDialog({ session, groupId, cluster, onClose }: { session: Session; groupId: string; cluster: ClusterWire; onClose: () => void }) {
  const users = useQuery({
    queryKey: databaseUsersKey(groupId),
    queryFn: () => call<PaginatedWire<DatabaseUserWire>>('GET', `${databaseUsersPath(groupId)}?itemsPerPage=500`),
  });
  const [created, setCreated] = useState<{ username: string; password: string }>();
  const [type, setType] = useState<'standard' | 'private'>('private');
  const strings = cluster.connectionStrings.privateEndpoint;
  const [endpointId, setEndpointId] = useState<string>();
  const chosen = strings.find((s) => s.endpoints.some((e) => e.endpointId === endpointId)) ?? strings[0];
  const srv = chosen?.srvConnectionString;
  const noUsers = users.data?.results.length === 0 && !created;
  const username = created?.username ?? users.data?.results[0]?.username;
  const shellUser = username ?? '<db_username>';
  const driverString =
    srv && `${srv.replace('mongodb+srv://', `mongodb+srv://${encodeURIComponent(shellUser)}:<db_password>@`)}/?retryWrites=true&w=majority&appName=${cluster.name}`;
  return (
    <Modal
      open
      setOpen={(open) => {
        if (!open) onClose();
      }}
      size="large"
      aria-labelledby="connect-title"
    >
      <div className="stack">
        <H3 as="h2" id="connect-title">
          Connect to {cluster.name}
        </H3>
        <fieldset className="row" style={{ border: 'none', padding: 0 }}>
          <legend>
            <Body weight="medium">Choose a connection type</Body>
          </legend>
          <label>
            <input type="radio" name="connection-type" checked={type === 'standard'} onChange={() => setType('standard')} /> Standard Connection
          </label>
          <label>
            <input type="radio" name="connection-type" checked={type === 'private'} onChange={() => setType('private')} /> Private Endpoint
          </label>
        </fieldset>
        {type === 'standard' && (
          <Banner>privlink clusters have no public address: clients connect through a private endpoint of the cluster's region. Choose Private Endpoint.</Banner>
        )}
        {type === 'private' && strings.length === 0 && (
          <Banner variant="warning">No private endpoint of this cluster's region is Available yet. Add one under Security → Network Access → Private Endpoint.</Banner>
        )}
        {type === 'private' && chosen && srv && (
          <>
            <label className="native-select">
              Private endpoint
              <select value={chosen.endpoints[0]?.endpointId} onChange={(e) => setEndpointId(e.target.value)}>
                {strings.map((s) => (
                  <option key={s.srvConnectionString} value={s.endpoints[0]?.endpointId}>
                    {s.endpoints.map((e) => `${e.endpointId} (${e.providerName} ${e.region})`).join(', ')}
                  </option>
                ))}
              </select>
            </label>
            {users.isError && <Banner variant="danger">{problemText(users.error)}</Banner>}
            {noUsers && canManageDatabaseUsers(session, groupId) && <CreateDatabaseUser groupId={groupId} onCreated={(u, password) => setCreated({ username: u, password })} />}
            {noUsers && !canManageDatabaseUsers(session, groupId) && (
              <Banner variant="warning">This project has no MongoDB users yet. A Project Owner can create one (Connect → Create a MongoDB User, or the database-users API).</Banner>
            )}
            {created && (
              <>
                <Banner variant="success">
                  Database user {created.username} created with the Atlas Admin role. Copy its password now: it is not shown again. Replace &lt;db_password&gt; in the strings below
                  with it.
                </Banner>
                <CopyField label={`Password for ${created.username}`}>{created.password}</CopyField>
              </>
            )}
            {users.data && !noUsers && driverString && (
              <>
                <Body weight="medium">Choose a connection method</Body>
                <CopyField label="Drivers" description="Add your connection string into your application code. Replace <db_password> with the password for the database user.">
                  {driverString}
                </CopyField>
                <CopyField label="Shell" description="Run your connection string in your command line (mongosh).">
                  {`mongosh "${srv}/" --apiVersion 1 --username ${shellUser}`}
                </CopyField>
                <CopyField label="Command Line Tools" description="Back up and restore with mongodump and mongorestore.">
                  {`mongodump --uri "${srv}/" --username ${shellUser}\nmongorestore --uri "${srv}/" --username ${shellUser} <dump folder>`}
                </CopyField>
              </>
            )}
          </>
        )}
        <div className="row">
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    </Modal>
  );
}
