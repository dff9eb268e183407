import { useQuery } from '@tanstack/react-query';
import Badge from '@leafygreen-ui/badge';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import Modal from '@leafygreen-ui/modal';
import { Body, H2, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { ClusterWire } from '../../../src/api/atlas/wire/clusters.wire.js';
import type { PaginatedWire } from '../../../src/api/atlas/wire/common.wire.js';
import { call, problemText, v2 } from '../api';
import { CopyField } from '../CopyField';
import { statusText } from '../endpoints';

/** Database: the project's clusters, each with its Connect dialog. */
export function Database({ groupId, projectName }: { groupId: string; projectName: string | undefined }) {
  const clusters = useQuery({
    queryKey: ['clusters', groupId],
    queryFn: () => call<PaginatedWire<ClusterWire>>('GET', v2(`/groups/${groupId}/clusters?itemsPerPage=500`)),
    refetchInterval: 2000,
  });
  const [connecting, setConnecting] = useState<string>();
  const cluster = clusters.data?.results.find((c) => c.name === connecting);
  return (
    <div className="stack">
      <H2 as="h1">Database Deployments{projectName ? ` — ${projectName}` : ''}</H2>
      {clusters.isError && <Banner variant="danger">{problemText(clusters.error)}</Banner>}
      {clusters.isPending && <Body>Loading clusters…</Body>}
      {clusters.data?.results.length === 0 && <Body>No clusters in this project yet. Create one with the Admin API or the CLI.</Body>}
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
                  <tr key={c.id}>
                    <td>{c.name}</td>
                    <td>{region?.electableSpecs.instanceSize ?? '—'}</td>
                    <td>
                      {region?.providerName ?? '—'} {region?.regionName ?? ''}
                    </td>
                    <td>
                      <Badge variant={c.stateName === 'IDLE' ? 'green' : 'blue'}>{statusText(c.stateName)}</Badge>
                    </td>
                    <td>
                      <Button size="small" onClick={() => setConnecting(c.name)}>
                        Connect
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {cluster && <ConnectDialog cluster={cluster} onClose={() => setConnecting(undefined)} />}
    </div>
  );
}

/**
 * Connect to a cluster, as Atlas's dialog: the connection type (Standard Connection or Private
 * Endpoint), the private endpoint, then the connection method (drivers, mongosh, command line
 * tools), each string with Copy.
 */
function ConnectDialog({ cluster, onClose }: { cluster: ClusterWire; onClose: () => void }) {
  const [type, setType] = useState<'standard' | 'private'>('private');
  const strings = cluster.connectionStrings.privateEndpoint;
  const [endpointId, setEndpointId] = useState<string>();
  const chosen = strings.find((s) => s.endpoints.some((e) => e.endpointId === endpointId)) ?? strings[0];
  const srv = chosen?.srvConnectionString;
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
            <Body weight="medium">Choose a connection method</Body>
            <CopyField label="Drivers" description="Add your connection string into your application code.">
              {`${srv}/?retryWrites=true&w=majority&appName=${cluster.name}`}
            </CopyField>
            <CopyField label="Shell" description="Run your connection string in your command line (mongosh).">
              {`mongosh "${srv}/" --apiVersion 1 --username <db_username>`}
            </CopyField>
            <CopyField label="Command Line Tools" description="Back up and restore with mongodump and mongorestore.">
              {`mongodump --uri "${srv}/" --username <db_username>\nmongorestore --uri "${srv}/" --username <db_username> <dump folder>`}
            </CopyField>
          </>
        )}
        <div className="row">
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    </Modal>
  );
}
