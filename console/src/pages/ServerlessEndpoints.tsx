import { useQueryClient } from '@tanstack/react-query';
import Badge from '@leafygreen-ui/badge';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import ConfirmationModal from '@leafygreen-ui/confirmation-modal';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { ServerlessInstanceWire, ServerlessTenantEndpointWire } from '../../../src/api/atlas/wire/serverless.wire.js';
import { findRegion, type CloudProvider } from '../../../src/domain/regions.js';
import type { ServerlessEndpointProvider } from '../../../src/domain/serverless-endpoint.js';
import { call, problemText } from '../api';
import { providerLabel, statusText } from '../endpoints';
import { SERVERLESS_ENDPOINT_PROVIDERS, tenantEndpointPath, tenantEndpointsKey, useInstances, useTenantEndpoints } from '../serverless';
import { AddServerlessEndpoint } from './AddServerlessEndpoint';
import { LEFT_BEHIND, REJECTED_LEFT_BEHIND } from '../left-behind';

const VARIANT: Record<string, 'green' | 'yellow' | 'red' | 'lightgray' | 'blue'> = {
  AVAILABLE: 'green',
  RESERVATION_REQUESTED: 'blue',
  RESERVED: 'yellow',
  INITIATING: 'blue',
  FAILED: 'red',
  DELETING: 'lightgray',
};

/** The customer's network, per cloud, as the empty table names it. */
const NETWORK: Record<ServerlessEndpointProvider, string> = { AWS: 'AWS VPC', AZURE: 'Azure VNet' };

/** What a RESERVED endpoint waits for, per cloud: to a Project Owner, and to a reader. */
const RESERVED_NEXT: Record<ServerlessEndpointProvider, { readonly owner: string; readonly reader: string }> = {
  AWS: {
    owner: 'Create your interface endpoint with the service name, then register its ID (Add Private Endpoint).',
    reader: 'Waiting for the interface endpoint: a Project Owner registers its ID.',
  },
  AZURE: {
    owner: 'Create your private endpoint to the private link service, then register its resource ID and IP address (Add Private Endpoint).',
    reader: 'Waiting for the private endpoint: a Project Owner registers its resource ID and IP address.',
  },
};

/** The registered endpoint as the table shows it: its id, with the IP address on Azure. */
function EndpointCell({ endpoint }: { endpoint: ServerlessTenantEndpointWire }) {
  if (!endpoint.cloudProviderEndpointId) return <>—</>;
  if (endpoint.providerName === 'AZURE')
    return (
      <>
        <span style={{ wordBreak: 'break-all' }}>{endpoint.cloudProviderEndpointId}</span>
        {endpoint.privateEndpointIpAddress && <Body>IP address {endpoint.privateEndpointIpAddress}</Body>}
      </>
    );
  return <>{endpoint.cloudProviderEndpointId}</>;
}

/**
 * Network Access → Private Endpoint → Serverless Instance: each instance's private endpoints (on
 * AWS or Azure) with their statuses, Add Private Endpoint (the serverless wizard, offering the
 * instances on the clouds this deployment serves, `providers`) and Terminate → Confirm. Without
 * `canWrite` (Project Read Only) the same endpoints and statuses, and no Add or Terminate.
 */
export function ServerlessEndpoints({ groupId, canWrite, providers }: { groupId: string; canWrite: boolean; providers: readonly CloudProvider[] }) {
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
      {list.length > 0 && <TenantEndpointTable groupId={groupId} instances={list} canWrite={canWrite} providers={providers} />}
      {adding && <AddServerlessEndpoint groupId={groupId} instances={list} providers={providers} onClose={() => setAdding(false)} />}
    </div>
  );
}

interface TableProps {
  readonly groupId: string;
  readonly instances: readonly ServerlessInstanceWire[];
  readonly canWrite: boolean;
  /** The clouds this deployment serves (named in the empty table's hint). */
  readonly providers: readonly CloudProvider[];
}

function TenantEndpointTable({ groupId, instances, canWrite, providers }: TableProps) {
  const rows = useTenantEndpoints(groupId, instances).flatMap(({ instance, endpoints }) => (endpoints.data ?? []).map((endpoint) => ({ instance, endpoint })));
  const [terminating, setTerminating] = useState<{ instance: ServerlessInstanceWire; endpoint: ServerlessTenantEndpointWire }>();
  if (rows.length === 0) {
    const networks = SERVERLESS_ENDPOINT_PROVIDERS.filter((p) => providers.includes(p)).map((p) => NETWORK[p]);
    return <Body>No private endpoints for serverless instances yet.{canWrite ? ` Click Add Private Endpoint to connect your ${networks.join(' or ')} to an instance.` : ''}</Body>;
  }
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
              <tr key={endpoint._id} data-endpoint-id={endpoint._id} data-provider={endpoint.providerName}>
                <td>{instance.name}</td>
                <td>{providerLabel(endpoint.providerName)}</td>
                <td>{region}</td>
                <td style={{ wordBreak: 'break-all' }}>{endpoint.endpointServiceName ?? '—'}</td>
                <td data-column="endpoint">
                  <EndpointCell endpoint={endpoint} />
                </td>
                <td data-column="status">
                  <Badge variant={VARIANT[endpoint.status] ?? 'lightgray'}>{statusText(endpoint.status)}</Badge>
                  {endpoint.errorMessage && <Body className="error">{endpoint.errorMessage}</Body>}
                  {endpoint.status === 'RESERVED' && <Body>{canWrite ? RESERVED_NEXT[endpoint.providerName].owner : RESERVED_NEXT[endpoint.providerName].reader}</Body>}
                  {endpoint.status === 'FAILED' && endpoint.cloudProviderEndpointId && <Body>{REJECTED_LEFT_BEHIND[endpoint.providerName]}</Body>}
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
        This removes the private endpoint {endpoint.cloudProviderEndpointId ?? endpoint._id} of {instance.name}. Clients that connect through it lose their connection.{' '}
        {LEFT_BEHIND[endpoint.providerName]}
      </Body>
      {error && <Banner variant="danger">{error}</Banner>}
    </ConfirmationModal>
  );
}
