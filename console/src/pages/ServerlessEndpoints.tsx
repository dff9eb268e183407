import { useQueryClient } from '@tanstack/react-query';
import Badge from '@leafygreen-ui/badge';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import ConfirmationModal from '@leafygreen-ui/confirmation-modal';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { ServerlessInstanceWire, ServerlessTenantEndpointWire } from '../../../src/api/atlas/wire/serverless.wire.js';
import { findRegion } from '../../../src/domain/regions.js';
import { call, problemText } from '../api';
import { statusText } from '../endpoints';
import { tenantEndpointPath, tenantEndpointsKey, useInstances, useTenantEndpoints } from '../serverless';
import { AddServerlessEndpoint } from './AddServerlessEndpoint';

const VARIANT: Record<string, 'green' | 'yellow' | 'red' | 'lightgray' | 'blue'> = {
  AVAILABLE: 'green',
  RESERVATION_REQUESTED: 'blue',
  RESERVED: 'yellow',
  INITIATING: 'blue',
  FAILED: 'red',
  DELETING: 'lightgray',
};

/**
 * Network Access → Private Endpoint → Serverless Instance: each instance's private endpoints with
 * their statuses, Add Private Endpoint (the serverless wizard) and Terminate → Confirm. Without
 * `canWrite` (Project Read Only) the same endpoints and statuses, and no Add or Terminate.
 */
export function ServerlessEndpoints({ groupId, canWrite }: { groupId: string; canWrite: boolean }) {
  const instances = useInstances(groupId);
  const [adding, setAdding] = useState(false);
  const list = instances.data?.results ?? [];
  return (
    <div className="stack">
      {canWrite && (
        <div className="row">
          <Button variant="primary" disabled={list.length === 0} onClick={() => setAdding(true)}>
            Add Private Endpoint
          </Button>
        </div>
      )}
      {instances.isError && <Banner variant="danger">{problemText(instances.error)}</Banner>}
      {instances.isPending && <Body>Loading serverless instances…</Body>}
      {instances.data && list.length === 0 && <Body>This project has no serverless instances. Create one with the Admin API or the CLI.</Body>}
      {list.length > 0 && <TenantEndpointTable groupId={groupId} instances={list} canWrite={canWrite} />}
      {adding && <AddServerlessEndpoint groupId={groupId} instances={list} onClose={() => setAdding(false)} />}
    </div>
  );
}

function TenantEndpointTable({ groupId, instances, canWrite }: { groupId: string; instances: readonly ServerlessInstanceWire[]; canWrite: boolean }) {
  const rows = useTenantEndpoints(groupId, instances).flatMap(({ instance, endpoints }) => (endpoints.data ?? []).map((endpoint) => ({ instance, endpoint })));
  const [terminating, setTerminating] = useState<{ instance: ServerlessInstanceWire; endpoint: ServerlessTenantEndpointWire }>();
  if (rows.length === 0)
    return <Body>No private endpoints for serverless instances yet.{canWrite ? ' Click Add Private Endpoint to connect your AWS VPC to an instance.' : ''}</Body>;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Serverless private endpoints table">
      <table className="lg" aria-label="Serverless private endpoints">
        <thead>
          <tr>
            <th scope="col">Serverless Instance</th>
            <th scope="col">Cloud Provider</th>
            <th scope="col">Region</th>
            <th scope="col">Atlas Endpoint Service</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Status</th>
            {canWrite && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ instance, endpoint }) => {
            const region = findRegion(endpoint.providerName, instance.providerSettings.regionName)?.providerName ?? instance.providerSettings.regionName;
            return (
              <tr key={endpoint._id} data-endpoint-id={endpoint._id}>
                <td>{instance.name}</td>
                <td>{endpoint.providerName}</td>
                <td>{region}</td>
                <td style={{ wordBreak: 'break-all' }}>{endpoint.endpointServiceName ?? '—'}</td>
                <td>{endpoint.cloudProviderEndpointId ?? '—'}</td>
                <td data-column="status">
                  <Badge variant={VARIANT[endpoint.status] ?? 'lightgray'}>{statusText(endpoint.status)}</Badge>
                  {endpoint.errorMessage && <Body className="error">{endpoint.errorMessage}</Body>}
                  {endpoint.status === 'RESERVED' && (
                    <Body>
                      {canWrite
                        ? 'Create your interface endpoint with the service name, then register its ID (Add Private Endpoint).'
                        : 'Waiting for the interface endpoint: a Project Owner registers its ID.'}
                    </Body>
                  )}
                </td>
                {canWrite && (
                  <td>
                    <Button size="small" variant="danger" disabled={endpoint.status === 'DELETING'} onClick={() => setTerminating({ instance, endpoint })}>
                      Terminate
                    </Button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {terminating && <TerminateDialog groupId={groupId} {...terminating} onClose={() => setTerminating(undefined)} />}
    </div>
  );
}

function TerminateDialog({
  groupId,
  instance,
  endpoint,
  onClose,
}: {
  groupId: string;
  instance: ServerlessInstanceWire;
  endpoint: ServerlessTenantEndpointWire;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const confirm = async () => {
    try {
      await call('DELETE', tenantEndpointPath(groupId, instance.name, endpoint._id));
      onClose();
      await client.invalidateQueries({ queryKey: tenantEndpointsKey(groupId) });
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <ConfirmationModal open title="Terminate private endpoint?" buttonText="Confirm" variant="danger" onConfirm={confirm} onCancel={onClose}>
      <Body>
        This removes the private endpoint {endpoint.cloudProviderEndpointId ?? endpoint._id} of {instance.name}. Clients that connect through it lose their connection. Your
        interface endpoint stays in your VPC until you delete it there.
      </Body>
      {error && <Banner variant="danger">{error}</Banner>}
    </ConfirmationModal>
  );
}
