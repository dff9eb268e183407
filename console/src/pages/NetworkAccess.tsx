import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import { Tab, Tabs } from '@leafygreen-ui/tabs';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { problemText } from '../api';
import { useServices, type Provider } from '../endpoints';
import { navigate, networkPath } from '../router';
import { canManageNetwork, hasProjectRole, type Session } from '../session';
import { AddPrivateEndpoint } from './AddPrivateEndpoint';
import { IpAccessList } from './IpAccessList';
import { PrivateEndpointTable } from './PrivateEndpointTable';
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
      {kind === 'dedicated' ? (
        <DedicatedEndpoints groupId={groupId} canWrite={canWrite} providers={session.providers} />
      ) : (
        <ServerlessEndpoints groupId={groupId} canWrite={canWrite} providers={session.providers} />
      )}
    </div>
  );
}

/** The dedicated clusters' endpoint services and their interface endpoints; the wizard offers the clouds this deployment serves. */
function DedicatedEndpoints({ groupId, canWrite, providers }: { groupId: string; canWrite: boolean; providers: readonly Provider[] }) {
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
      {services.data && <PrivateEndpointTable groupId={groupId} services={services.data} canWrite={canWrite} providers={providers} />}
      {adding && <AddPrivateEndpoint groupId={groupId} services={services.data ?? []} providers={providers} onClose={() => setAdding(false)} />}
    </div>
  );
}
