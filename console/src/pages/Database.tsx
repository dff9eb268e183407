import { useQuery } from '@tanstack/react-query';
import Badge from '@leafygreen-ui/badge';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { ClusterWire } from '../../../src/api/atlas/wire/clusters.wire.js';
import type { PaginatedWire } from '../../../src/api/atlas/wire/common.wire.js';
import { call, problemText } from '../api';
import { statusText } from '../endpoints';
import { canManageClusters, hasProjectRole, type Session } from '../session';
import { ConnectCluster } from './ConnectCluster';
import { clustersKey, clustersApiPath, CreateCluster } from './CreateCluster';
import { TerminateCluster } from './TerminateCluster';

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
      {cluster && <ConnectCluster session={session} groupId={groupId} cluster={cluster} onClose={() => setConnecting(undefined)} />}
    </div>
  );
}
