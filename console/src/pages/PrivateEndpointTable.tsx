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
import { LEFT_BEHIND, REJECTED_LEFT_BEHIND } from '../left-behind';

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

/** The customer's network, per cloud, as the empty table names it. */
const NETWORK: Record<Provider, string> = { AWS: 'AWS VPC', AZURE: 'Azure VNet', GCP: 'Google Cloud VPC' };

/** "A", "A or B", "A, B or C". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** A table row: one interface endpoint of a service, or the service alone while it has none. */
interface Row {
  readonly service: EndpointServiceWire;
  readonly endpointId: string | undefined;
}

/** What Terminate on a row removes: its endpoint, and the service too when nothing else of it is left. */
interface Termination extends Row {
  readonly withService: boolean;
}

function rowsOf(services: readonly EndpointServiceWire[]): Row[] {
  return services.flatMap((service): Row[] => {
    const ids = endpointIds(service);
    return ids.length === 0 ? [{ service, endpointId: undefined }] : ids.map((endpointId) => ({ service, endpointId }));
  });
}

/**
 * The dedicated clusters' private endpoints: a row per interface endpoint (a service with none yet
 * has one row), with its service and their statuses; Edit and Terminate for writers.
 */
export function PrivateEndpointTable({
  groupId,
  services,
  canWrite,
  providers,
}: {
  groupId: string;
  services: readonly EndpointServiceWire[];
  canWrite: boolean;
  /** The clouds this deployment serves (named in the empty table's hint). */
  providers: readonly Provider[];
}) {
  const endpoints = useEndpoints(groupId, services);
  const [terminating, setTerminating] = useState<Termination>();
  const [editing, setEditing] = useState<{ service: EndpointServiceWire; endpoint: EditableEndpointWire }>();
  if (services.length === 0)
    return <Body>No private endpoints yet.{canWrite ? ` Click Add Private Endpoint to connect your ${orList(providers.map((p) => NETWORK[p]))} to this project.` : ''}</Body>;
  const statusOf = (service: EndpointServiceWire, endpointId: string) => endpointStatus(endpoints.get(`${service.id} ${endpointId}`)?.data);
  // The service goes with its last endpoint: every other one is gone or being deleted.
  const isLast = ({ service, endpointId }: Row) => endpointIds(service).every((id) => id === endpointId || statusOf(service, id) === 'DELETING');
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
          {rowsOf(services).map((row) => {
            const { service, endpointId } = row;
            const endpoint = endpointId ? endpoints.get(`${service.id} ${endpointId}`)?.data : undefined;
            const status = endpointStatus(endpoint);
            const deleting = service.status === 'DELETING' || status === 'DELETING';
            const error = service.errorMessage ?? endpoint?.errorMessage;
            return (
              <tr key={`${service.id} ${endpointId ?? ''}`} data-service-id={service.id} data-endpoint-id={endpointId} data-provider={service.cloudProvider}>
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
                      <Button
                        size="small"
                        variant="danger"
                        disabled={deleting}
                        onClick={() => setTerminating({ ...row, withService: isLast(row) })}
                        aria-label={endpointId ? `Terminate ${endpointId}` : `Terminate the endpoint service in ${service.regionName}`}
                      >
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
      {terminating && <TerminateDialog groupId={groupId} termination={terminating} onClose={() => setTerminating(undefined)} />}
      {editing && <EditPrivateEndpoint groupId={groupId} service={editing.service} endpoint={editing.endpoint} onClose={() => setEditing(undefined)} />}
    </div>
  );
}

/**
 * Terminate → Confirm on a row: removes the row's interface endpoint; when it was the service's
 * last one (or the row is a service without endpoints), waits until the service has none left,
 * then deletes the endpoint service (the API refuses to delete a service that still has endpoints).
 */
function TerminateDialog({ groupId, termination, onClose }: { groupId: string; termination: Termination; onClose: () => void }) {
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const { service, endpointId, withService } = termination;
  const confirm = async () => {
    try {
      if (endpointId) await call('DELETE', endpointPath(groupId, service.cloudProvider, service.id, endpointId));
      onClose();
      await client.invalidateQueries({ queryKey: servicesKey(groupId) });
      if (!withService) return;
      await deleteServiceOnceEmpty(groupId, service.cloudProvider, service.id);
      await client.invalidateQueries({ queryKey: servicesKey(groupId) });
    } catch (e) {
      setError(problemText(e));
    }
  };
  const what = !endpointId
    ? `This removes the Atlas endpoint service in ${service.regionName}.`
    : withService
      ? `This removes the private endpoint ${endpointId} and the Atlas endpoint service in ${service.regionName}.`
      : `This removes the private endpoint ${endpointId}; the Atlas endpoint service in ${service.regionName} and its other private endpoints stay.`;
  return (
    <ConfirmationModal open title="Terminate private endpoint?" buttonText="Confirm" variant="danger" onConfirm={confirm} onCancel={onClose}>
      <Body>
        {what}
        {endpointId && ` Clients that connect through it lose their connection. ${LEFT_BEHIND[service.cloudProvider]}`}
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
