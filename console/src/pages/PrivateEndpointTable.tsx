import { useQueryClient } from '@tanstack/react-query';
import Badge from '@leafygreen-ui/badge';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import ConfirmationModal from '@leafygreen-ui/confirmation-modal';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { EndpointServiceWire, InterfaceEndpointWire } from '../../../src/api/atlas/wire/private-endpoints.wire.js';
import { call, problemText } from '../api';
import { endpointIds, endpointPath, endpointStatus, providerLabel, servicePath, servicesKey, serviceTarget, statusText, useEndpoints, type Provider } from '../endpoints';
import { EditPrivateEndpoint, type EditableEndpointWire } from './EditPrivateEndpoint';

const VARIANT: Record<string, 'green' | 'yellow' | 'red' | 'lightgray' | 'blue'> = {
  AVAILABLE: 'green',
  INITIATING: 'blue',
  VERIFIED: 'blue',
  PENDING_ACCEPTANCE: 'yellow',
  PENDING: 'yellow',
  WAITING_FOR_USER: 'yellow',
  NONE: 'lightgray',
  FAILED: 'red',
  REJECTED: 'red',
  DELETING: 'lightgray',
};

function StatusBadge({ status }: { status: string | undefined }) {
  if (!status) return <span>—</span>;
  return <Badge variant={VARIANT[status] ?? 'lightgray'}>{statusText(status)}</Badge>;
}

/** Where the customer's own endpoint stays after Atlas lets go of it, per cloud. */
const LEFT_BEHIND: Record<Provider, string> = {
  AWS: 'Your interface endpoint in AWS stays in your VPC until you delete it there.',
  AZURE: 'Your private endpoint in Azure stays in your VNet until you delete it there (az network private-endpoint delete).',
  GCP: 'Your forwarding rules and addresses in Google Cloud stay in your VPC until you delete them there (gcloud compute forwarding-rules delete).',
};

/** What the customer does with a rejected endpoint, per cloud (it stays on the customer's side). */
const REJECTED_LEFT_BEHIND: Record<Provider, string> = {
  AWS: 'A rejected endpoint stays in your VPC: delete it in your AWS account (aws ec2 delete-vpc-endpoints).',
  AZURE: 'A rejected private endpoint stays in your VNet: delete it in your Azure subscription (az network private-endpoint delete).',
  GCP: 'Rejected forwarding rules stay in your VPC: delete them and their addresses in your Google Cloud project (gcloud compute forwarding-rules delete).',
};

/** The endpoint as the table shows it: its id, with the Azure IP address or the Google Cloud rules. */
function EndpointCell({ endpointId, endpoint }: { endpointId: string | undefined; endpoint: InterfaceEndpointWire | undefined }) {
  if (!endpointId) return <>—</>;
  if (endpoint?.cloudProvider === 'AZURE')
    return (
      <>
        <span style={{ wordBreak: 'break-all' }}>{endpointId}</span>
        <Body>IP address {endpoint.privateEndpointIPAddress}</Body>
      </>
    );
  if (endpoint?.cloudProvider === 'GCP')
    return (
      <>
        {endpointId}
        <Body>
          {endpoint.endpoints.length} forwarding rule{endpoint.endpoints.length === 1 ? '' : 's'} in {endpoint.gcpProjectId}
        </Body>
      </>
    );
  return <>{endpointId}</>;
}

/** The dedicated clusters' private endpoints: a row per endpoint service, with its endpoint and their statuses; Edit and Terminate for writers. */
export function PrivateEndpointTable({ groupId, services, canWrite }: { groupId: string; services: readonly EndpointServiceWire[]; canWrite: boolean }) {
  const endpoints = useEndpoints(groupId, services);
  const [terminating, setTerminating] = useState<EndpointServiceWire>();
  const [editing, setEditing] = useState<{ service: EndpointServiceWire; endpoint: EditableEndpointWire }>();
  if (services.length === 0)
    return <Body>No private endpoints yet.{canWrite ? ' Click Add Private Endpoint to connect your AWS VPC, Azure VNet or Google Cloud VPC to this project.' : ''}</Body>;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Private endpoints table">
      <table className="lg" aria-label="Private endpoints">
        <thead>
          <tr>
            <th scope="col">Cloud Provider</th>
            <th scope="col">Region</th>
            <th scope="col">Atlas Endpoint Service</th>
            <th scope="col">Atlas Endpoint Service Status</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Endpoint Status</th>
            {canWrite && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {services.map((service) => {
            const endpointId = endpointIds(service)[0];
            const endpoint = endpointId ? endpoints.get(`${service.id} ${endpointId}`)?.data : undefined;
            const status = endpointStatus(endpoint);
            const deleting = service.status === 'DELETING' || status === 'DELETING';
            const error = service.errorMessage ?? endpoint?.errorMessage;
            return (
              <tr key={service.id} data-service-id={service.id} data-provider={service.cloudProvider}>
                <td>{providerLabel(service.cloudProvider)}</td>
                <td>{service.regionName}</td>
                <td style={{ wordBreak: 'break-all' }}>{serviceTarget(service) ?? '—'}</td>
                <td data-column="service-status">
                  <StatusBadge status={service.status} />
                </td>
                <td data-column="endpoint">
                  <EndpointCell endpointId={endpointId} endpoint={endpoint} />
                </td>
                <td data-column="endpoint-status">
                  <StatusBadge status={endpointId ? status : undefined} />
                  {error && <Body className="error">{error}</Body>}
                  {status === 'REJECTED' && <Body>{REJECTED_LEFT_BEHIND[service.cloudProvider]}</Body>}
                </td>
                {canWrite && (
                  <td>
                    <div className="actions">
                      {endpoint && endpoint.cloudProvider !== 'GCP' && (
                        <Button size="small" disabled={deleting} onClick={() => setEditing({ service, endpoint })} aria-label={`Edit ${endpointId}`}>
                          Edit
                        </Button>
                      )}
                      <Button size="small" variant="danger" disabled={deleting} onClick={() => setTerminating(service)}>
                        Terminate
                      </Button>
                    </div>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {terminating && <TerminateDialog groupId={groupId} service={terminating} onClose={() => setTerminating(undefined)} />}
      {editing && <EditPrivateEndpoint groupId={groupId} service={editing.service} endpoint={editing.endpoint} onClose={() => setEditing(undefined)} />}
    </div>
  );
}

/**
 * Terminate → Confirm: removes the endpoints from the service, waits until they are gone, then
 * deletes the endpoint service (the API refuses to delete a service that still has endpoints).
 */
function TerminateDialog({ groupId, service, onClose }: { groupId: string; service: EndpointServiceWire; onClose: () => void }) {
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const ids = endpointIds(service);
  const confirm = async () => {
    try {
      for (const endpointId of ids) await call('DELETE', endpointPath(groupId, service.cloudProvider, service.id, endpointId));
      onClose();
      await client.invalidateQueries({ queryKey: servicesKey(groupId) });
      await deleteServiceOnceEmpty(groupId, service.cloudProvider, service.id);
      await client.invalidateQueries({ queryKey: servicesKey(groupId) });
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <ConfirmationModal open title="Terminate private endpoint?" buttonText="Confirm" variant="danger" onConfirm={confirm} onCancel={onClose}>
      <Body>
        This removes the private endpoint {ids.join(', ')} and the Atlas endpoint service in {service.regionName}. Clients that connect through it lose their connection.{' '}
        {LEFT_BEHIND[service.cloudProvider]}
      </Body>
      {error && <Banner variant="danger">{error}</Banner>}
    </ConfirmationModal>
  );
}

async function deleteServiceOnceEmpty(groupId: string, provider: Provider, serviceId: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const service = await call<EndpointServiceWire>('GET', servicePath(groupId, provider, serviceId)).catch(() => undefined);
    if (!service) return;
    if (endpointIds(service).length === 0) {
      if (service.status !== 'DELETING') await call('DELETE', servicePath(groupId, provider, serviceId));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
