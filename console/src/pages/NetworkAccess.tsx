import { useQueryClient } from '@tanstack/react-query';
import Badge from '@leafygreen-ui/badge';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import ConfirmationModal from '@leafygreen-ui/confirmation-modal';
import { Tab, Tabs } from '@leafygreen-ui/tabs';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { AWSInterfaceEndpointWire, AWSPrivateLinkConnectionWire } from '../../../src/api/atlas/wire/private-endpoints.wire.js';
import { call, problemText } from '../api';
import { endpointPath, servicePath, servicesKey, statusText, useEndpoints, useServices } from '../endpoints';
import { navigate, networkPath } from '../router';
import { canManageNetwork, hasProjectRole, type Session } from '../session';
import { AddPrivateEndpoint } from './AddPrivateEndpoint';
import { IpAccessList } from './IpAccessList';
import { ServerlessEndpoints } from './ServerlessEndpoints';

interface Props {
  readonly session: Session;
  readonly groupId: string;
  readonly tab: 'accessList' | 'privateEndpoint';
  readonly projectName: string | undefined;
}

const TABS = ['accessList', 'privateEndpoint'] as const;

/** Security → Network Access: the IP Access List and Private Endpoint tabs. */
export function NetworkAccess({ session, groupId, tab, projectName }: Props) {
  return (
    <div className="stack">
      <H2 as="h1">Network Access{projectName ? ` — ${projectName}` : ''}</H2>
      <Tabs aria-label="Network Access" value={TABS.indexOf(tab)} onValueChange={(index: number) => navigate(networkPath(groupId, TABS[index]!))}>
        <Tab name="IP Access List">
          <IpAccessList session={session} groupId={groupId} />
        </Tab>
        <Tab name="Private Endpoint">
          <PrivateEndpointTab session={session} groupId={groupId} />
        </Tab>
      </Tabs>
    </div>
  );
}

function PrivateEndpointTab({ session, groupId }: { session: Session; groupId: string }) {
  const canWrite = canManageNetwork(session, groupId);
  const [kind, setKind] = useState<'dedicated' | 'serverless'>('dedicated');
  return (
    <div className="stack" style={{ marginTop: 16 }}>
      <div className="subtabs" role="group" aria-label="Deployment type">
        <Button size="small" variant={kind === 'dedicated' ? 'primary' : 'default'} aria-pressed={kind === 'dedicated'} onClick={() => setKind('dedicated')}>
          Dedicated Cluster
        </Button>
        <Button size="small" variant={kind === 'serverless' ? 'primary' : 'default'} aria-pressed={kind === 'serverless'} onClick={() => setKind('serverless')}>
          Serverless Instance
        </Button>
      </div>
      {!canWrite && hasProjectRole(session, groupId) && (
        <Banner>Your role in this project is read-only: you can see private endpoints and their statuses, but not add or terminate them.</Banner>
      )}
      {kind === 'dedicated' ? <DedicatedEndpoints groupId={groupId} canWrite={canWrite} /> : <ServerlessEndpoints groupId={groupId} canWrite={canWrite} />}
    </div>
  );
}

/** The dedicated clusters' endpoint services and their interface endpoints. */
function DedicatedEndpoints({ groupId, canWrite }: { groupId: string; canWrite: boolean }) {
  const [adding, setAdding] = useState(false);
  const services = useServices(groupId);
  return (
    <div className="stack">
      <div className="row">
        {canWrite && (
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add Private Endpoint
          </Button>
        )}
      </div>
      {services.isError && <Banner variant="danger">{problemText(services.error)}</Banner>}
      {services.isPending && <Body>Loading private endpoints…</Body>}
      {services.data && <EndpointTable groupId={groupId} services={services.data} canWrite={canWrite} />}
      {adding && <AddPrivateEndpoint groupId={groupId} services={services.data ?? []} onClose={() => setAdding(false)} />}
    </div>
  );
}

const VARIANT: Record<string, 'green' | 'yellow' | 'red' | 'lightgray' | 'blue'> = {
  AVAILABLE: 'green',
  INITIATING: 'blue',
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

function EndpointTable({ groupId, services, canWrite }: { groupId: string; services: readonly AWSPrivateLinkConnectionWire[]; canWrite: boolean }) {
  const endpoints = useEndpoints(groupId, services);
  const [terminating, setTerminating] = useState<AWSPrivateLinkConnectionWire>();
  if (services.length === 0) return <Body>No private endpoints yet.{canWrite ? ' Click Add Private Endpoint to connect your AWS VPC to this project.' : ''}</Body>;
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
            const endpointId = service.interfaceEndpoints[0];
            const endpoint: AWSInterfaceEndpointWire | undefined = endpointId ? endpoints.get(endpointId)?.data : undefined;
            const deleting = service.status === 'DELETING' || endpoint?.connectionStatus === 'DELETING';
            const error = service.errorMessage ?? endpoint?.errorMessage;
            return (
              <tr key={service.id} data-service-id={service.id}>
                <td>AWS</td>
                <td>{service.regionName}</td>
                <td style={{ wordBreak: 'break-all' }}>{service.endpointServiceName ?? '—'}</td>
                <td data-column="service-status">
                  <StatusBadge status={service.status} />
                </td>
                <td>{endpointId ?? '—'}</td>
                <td data-column="endpoint-status">
                  <StatusBadge status={endpointId ? (endpoint?.connectionStatus ?? undefined) : undefined} />
                  {error && <Body className="error">{error}</Body>}
                  {endpoint?.connectionStatus === 'REJECTED' && <Body>A rejected endpoint stays in your VPC: delete it in your AWS account (aws ec2 delete-vpc-endpoints).</Body>}
                </td>
                {canWrite && (
                  <td>
                    <div className="actions">
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
    </div>
  );
}

/**
 * Terminate → Confirm: removes the interface endpoints from the service, waits until they are gone,
 * then deletes the endpoint service (the API refuses to delete a service that still has endpoints).
 */
function TerminateDialog({ groupId, service, onClose }: { groupId: string; service: AWSPrivateLinkConnectionWire; onClose: () => void }) {
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const confirm = async () => {
    try {
      for (const endpointId of service.interfaceEndpoints) await call('DELETE', endpointPath(groupId, service.id, endpointId));
      onClose();
      await client.invalidateQueries({ queryKey: servicesKey(groupId) });
      await deleteServiceOnceEmpty(groupId, service.id);
      await client.invalidateQueries({ queryKey: servicesKey(groupId) });
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <ConfirmationModal open title="Terminate private endpoint?" buttonText="Confirm" variant="danger" onConfirm={confirm} onCancel={onClose}>
      <Body>
        This removes the private endpoint {service.interfaceEndpoints.join(', ') || ''} and the Atlas endpoint service in {service.regionName}. Clients that connect through it lose
        their connection. Your interface endpoint in AWS stays in your VPC until you delete it there.
      </Body>
      {error && <Banner variant="danger">{error}</Banner>}
    </ConfirmationModal>
  );
}

async function deleteServiceOnceEmpty(groupId: string, serviceId: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const service = await call<AWSPrivateLinkConnectionWire>('GET', servicePath(groupId, serviceId)).catch(() => undefined);
    if (!service) return;
    if (service.interfaceEndpoints.length === 0) {
      if (service.status !== 'DELETING') await call('DELETE', servicePath(groupId, serviceId));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
