import { useQueryClient } from '@tanstack/react-query';
import Badge from '@leafygreen-ui/badge';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import ConfirmationModal from '@leafygreen-ui/confirmation-modal';
import { Tab, Tabs } from '@leafygreen-ui/tabs';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useState, type MouseEvent } from 'react';
import { call, problemText } from '../api';
import { allowNonVpcKey, allowNonVpcPath, appEndpointPath, appEndpointsKey, useAllowNonVpc, useApp, useAppEndpoints, type AppEndpointWire } from '../appservices';
import { statusText } from '../endpoints';
import { appServicesPath, navigate } from '../router';
import { canManageNetwork, hasProjectRole, type Session } from '../session';
import { AddAppPrivateEndpoint } from './AddAppPrivateEndpoint';

const VARIANT: Record<string, 'green' | 'yellow' | 'red' | 'lightgray' | 'blue'> = {
  AVAILABLE: 'green',
  PENDING: 'blue',
  REJECTED: 'red',
  INVALIDATED: 'yellow',
};

interface Props {
  readonly session: Session;
  readonly groupId: string;
  readonly appId: string;
}

/**
 * App Services → an app → App Settings → Private Endpoints: the app's private endpoints with their
 * statuses, Add Private Endpoint (the wizard), Restrict Access (the non-VPC requests toggle, global
 * to the app's endpoints) and Delete → Confirm. Read Only sees the list and no write buttons.
 */
export function AppPrivateEndpoints({ session, groupId, appId }: Props) {
  const app = useApp(groupId, appId);
  const canWrite = canManageNetwork(session, groupId);
  const back = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    navigate(appServicesPath(groupId));
  };
  return (
    <div className="stack">
      <a href={appServicesPath(groupId)} onClick={back}>
        ← All apps
      </a>
      <H2 as="h1">App Settings{app.data ? ` — ${app.data.name}` : ''}</H2>
      {app.isError && <Banner variant="danger">{problemText(app.error)}</Banner>}
      <Tabs aria-label="App Settings" value={0} onValueChange={() => undefined}>
        <Tab name="Private Endpoints">
          <div className="stack" style={{ marginTop: 16 }}>
            {!canWrite && hasProjectRole(session, groupId) && (
              <Banner>Your role in this project is read-only: you can see the app's private endpoints and their statuses, but not add, change or delete them.</Banner>
            )}
            {app.data && !(app.data.deployment_model === 'LOCAL' && app.data.provider_region.startsWith('aws-')) && (
              <Banner variant="warning">You can't use Private Endpoints with globally deployed Apps or local Apps deployed to Azure or GCP.</Banner>
            )}
            <EndpointList groupId={groupId} appId={appId} canWrite={canWrite} providerRegion={app.data?.provider_region} deploymentModel={app.data?.deployment_model} />
          </div>
        </Tab>
      </Tabs>
    </div>
  );
}

function EndpointList({
  groupId,
  appId,
  canWrite,
  providerRegion,
  deploymentModel,
}: {
  groupId: string;
  appId: string;
  canWrite: boolean;
  providerRegion: string | undefined;
  deploymentModel: string | undefined;
}) {
  const endpoints = useAppEndpoints(groupId, appId);
  const allowNonVpc = useAllowNonVpc(groupId, appId);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<AppEndpointWire>();
  const [restricting, setRestricting] = useState(false);
  const list = endpoints.data ?? [];
  const supported = deploymentModel === 'LOCAL' && (providerRegion ?? '').startsWith('aws-');
  return (
    <div className="stack">
      <div className="row">
        {canWrite && (
          <Button variant="primary" disabled={!supported || !endpoints.data} onClick={() => setAdding(true)}>
            Add Private Endpoint
          </Button>
        )}
        {canWrite && list.length > 0 && <Button onClick={() => setRestricting(true)}>Restrict Access</Button>}
      </div>
      {list.length > 0 && allowNonVpc.data !== undefined && (
        <Body data-fact="access">
          {allowNonVpc.data
            ? 'Access: open — requests from outside your private endpoints are also served.'
            : 'Access: restricted — only requests through your private endpoints are served.'}
        </Body>
      )}
      {endpoints.isError && <Banner variant="danger">{problemText(endpoints.error)}</Banner>}
      {endpoints.isPending && <Body>Loading private endpoints…</Body>}
      {endpoints.data && list.length === 0 && (
        <Body>This app has no private endpoints yet.{canWrite && supported ? ' Click Add Private Endpoint to connect your AWS VPC.' : ''}</Body>
      )}
      {list.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="App private endpoints table">
          <table className="lg" aria-label="App private endpoints">
            <thead>
              <tr>
                <th scope="col">VPC Endpoint ID</th>
                <th scope="col">Type</th>
                <th scope="col">Region</th>
                <th scope="col">Comment</th>
                <th scope="col">Status</th>
                {canWrite && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {list.map((endpoint) => (
                <tr key={endpoint._id} data-endpoint-id={endpoint._id}>
                  <td>{endpoint.cloud_provider_endpoint_id}</td>
                  <td>{endpoint.endpoint_type === 'sync' ? 'Sync' : 'General'}</td>
                  <td>{endpoint.cloud_provider_region}</td>
                  <td>{endpoint.comment || '—'}</td>
                  <td data-column="status">
                    <Badge variant={VARIANT[endpoint.status] ?? 'lightgray'}>{statusText(endpoint.status)}</Badge>
                    {endpoint.status_message && <Body className="error">{endpoint.status_message}</Body>}
                  </td>
                  {canWrite && (
                    <td>
                      <Button size="small" variant="danger" onClick={() => setDeleting(endpoint)} aria-label={`Delete ${endpoint.cloud_provider_endpoint_id}`}>
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
      {adding && providerRegion && (
        <AddAppPrivateEndpoint groupId={groupId} appId={appId} providerRegion={providerRegion} first={list.length === 0} onClose={() => setAdding(false)} />
      )}
      {deleting && <DeleteDialog groupId={groupId} appId={appId} endpoint={deleting} onClose={() => setDeleting(undefined)} />}
      {restricting && allowNonVpc.data !== undefined && (
        <RestrictAccessDialog groupId={groupId} appId={appId} allowNonVpc={allowNonVpc.data} onClose={() => setRestricting(false)} />
      )}
    </div>
  );
}

/** The restrict-access switch: on (the default) serves only requests through private endpoints. */
export function RestrictSwitch({ id, restricted, onChange }: { id: string; restricted: boolean; onChange: (restricted: boolean) => void }) {
  return (
    <label className="switch" htmlFor={id}>
      <input id={id} type="checkbox" role="switch" checked={restricted} aria-checked={restricted} onChange={(e) => onChange(e.target.checked)} />
      Only accept requests through private endpoints (restrict access)
    </label>
  );
}

function RestrictAccessDialog({ groupId, appId, allowNonVpc, onClose }: { groupId: string; appId: string; allowNonVpc: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const [restricted, setRestricted] = useState(!allowNonVpc);
  const [error, setError] = useState<string>();
  const save = async () => {
    try {
      await call('POST', allowNonVpcPath(groupId, appId), { allow_non_vpc_client_requests: !restricted });
      await client.invalidateQueries({ queryKey: allowNonVpcKey(groupId, appId) });
      onClose();
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <ConfirmationModal open title="Restrict Access" buttonText="Save" onConfirm={save} onCancel={onClose}>
      <div className="stack">
        <Body>This setting applies to all of this app's private endpoints.</Body>
        <RestrictSwitch id="app-restrict-access" restricted={restricted} onChange={setRestricted} />
        {error && <Banner variant="danger">{error}</Banner>}
      </div>
    </ConfirmationModal>
  );
}

function DeleteDialog({ groupId, appId, endpoint, onClose }: { groupId: string; appId: string; endpoint: AppEndpointWire; onClose: () => void }) {
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const confirm = async () => {
    try {
      await call('DELETE', appEndpointPath(groupId, appId, endpoint._id));
      onClose();
      await client.invalidateQueries({ queryKey: appEndpointsKey(groupId, appId) });
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <ConfirmationModal open title="Delete private endpoint?" buttonText="Delete" variant="danger" onConfirm={confirm} onCancel={onClose}>
      <Body>
        This removes the private endpoint {endpoint.cloud_provider_endpoint_id} from the app and rejects its connection. Your interface endpoint stays in your VPC until you delete
        it there.
      </Body>
      {error && <Banner variant="danger">{error}</Banner>}
    </ConfirmationModal>
  );
}
