import { useQuery } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import Modal from '@leafygreen-ui/modal';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import type { ClusterWire } from '../../../src/api/atlas/wire/clusters.wire.js';
import type { PaginatedWire } from '../../../src/api/atlas/wire/common.wire.js';
import type { DatabaseUserWire } from '../../../src/api/atlas/wire/database-users.wire.js';
import { call, problemText } from '../api';
import { CopyField } from '../CopyField';
import { CreateDatabaseUser, databaseUsersKey, databaseUsersPath } from '../CreateDatabaseUser';
import { navigate, networkPath } from '../router';
import { canManageDatabaseUsers, type Session } from '../session';

type ConnectionType = 'standard' | 'private';

/** The strings one connection type offers: `srv` (`mongodb+srv://<host>`) and the seed list (`mongodb://<hosts>/?…`). */
interface Strings {
  readonly srv: string;
  readonly standard: string | undefined;
}

interface Props {
  readonly session: Session;
  readonly groupId: string;
  readonly cluster: ClusterWire;
  readonly onClose: () => void;
}

/**
 * Connect to a cluster, as Atlas's dialog: the connection type (Standard Connection over the
 * public path, admitted by the project's IP access list, or Private Endpoint with the endpoint to
 * use), "Create a MongoDB User" when the project has none, then the connection method (drivers,
 * mongosh, command line tools) with the user's name filled in, each string with Copy. The strings
 * are the cluster's `connectionStrings` as the Admin API answers them: `standardSrv` / `standard`,
 * or the chosen `privateEndpoint[]` entry's `srvConnectionString` / `connectionString`.
 */
export function ConnectCluster({ session, groupId, cluster, onClose }: Props) {
  const users = useQuery({
    queryKey: databaseUsersKey(groupId),
    queryFn: () => call<PaginatedWire<DatabaseUserWire>>('GET', `${databaseUsersPath(groupId)}?itemsPerPage=500`),
  });
  const { standardSrv, standard, privateEndpoint } = cluster.connectionStrings;
  // Until the user picks a connection type, it follows the cluster's strings as they arrive: the
  // list the dialog was opened from may not show a just-registered endpoint yet.
  const [pickedType, setType] = useState<ConnectionType>();
  const type: ConnectionType = pickedType ?? (privateEndpoint.length === 0 && standardSrv ? 'standard' : 'private');
  const [endpointId, setEndpointId] = useState<string>();
  const [created, setCreated] = useState<{ username: string; password: string }>();
  const chosen = privateEndpoint.find((s) => s.endpoints.some((e) => e.endpointId === endpointId)) ?? privateEndpoint[0];
  const strings: Strings | undefined =
    type === 'standard' ? (standardSrv ? { srv: standardSrv, standard } : undefined) : chosen && { srv: chosen.srvConnectionString, standard: chosen.connectionString };
  const noUsers = users.data?.results.length === 0 && !created;
  const username = created?.username ?? users.data?.results[0]?.username;
  const toAccessList = (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    onClose();
    navigate(networkPath(groupId, 'accessList'));
  };
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
        {type === 'standard' && standardSrv && (
          <Banner>
            Standard Connection reaches {cluster.name} over its public address: your client&apos;s IP address must be on the project&apos;s IP access list. Add it under{' '}
            <a href={networkPath(groupId, 'accessList')} onClick={toAccessList}>
              Network Access → IP Access List
            </a>
            .
          </Banner>
        )}
        {type === 'standard' && !standardSrv && (
          <Banner variant="warning">
            {cluster.name} has no public address: a dedicated cluster gets one once it is deployed, and shared tiers and clusters being terminated have none.
            {privateEndpoint.length > 0 ? ' Choose Private Endpoint.' : ''}
          </Banner>
        )}
        {type === 'private' && privateEndpoint.length === 0 && (
          <Banner variant="warning">No private endpoint of this cluster&apos;s region is Available yet. Add one under Security → Network Access → Private Endpoint.</Banner>
        )}
        {type === 'private' && chosen && (
          <label className="native-select">
            Private endpoint
            <select value={chosen.endpoints[0]?.endpointId} onChange={(e) => setEndpointId(e.target.value)}>
              {privateEndpoint.map((s) => (
                <option key={s.srvConnectionString} value={s.endpoints[0]?.endpointId}>
                  {s.endpoints.map((e) => `${e.endpointId} (${e.providerName} ${e.region})`).join(', ')}
                </option>
              ))}
            </select>
          </label>
        )}
        {strings && (
          <>
            {users.isError && <Banner variant="danger">{problemText(users.error)}</Banner>}
            {noUsers && canManageDatabaseUsers(session, groupId) && <CreateDatabaseUser groupId={groupId} onCreated={(u, password) => setCreated({ username: u, password })} />}
            {noUsers && !canManageDatabaseUsers(session, groupId) && (
              <Banner variant="warning">This project has no MongoDB users yet. A Project Owner can create one (Connect → Create a MongoDB User, or the database-users API).</Banner>
            )}
            {created && <CreatedUser {...created} />}
            {users.data && !noUsers && <ConnectionMethods strings={strings} username={username} appName={cluster.name} />}
          </>
        )}
        <div className="row">
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    </Modal>
  );
}

/** The user "Create a MongoDB User" just made, with its password to copy (shown once); takes the focus from the form it replaces. */
function CreatedUser({ username, password }: { username: string; password: string }) {
  const region = useRef<HTMLDivElement>(null);
  useEffect(() => region.current?.focus(), []);
  return (
    <div ref={region} tabIndex={-1} className="stack" role="region" aria-label={`Database user ${username}`} style={{ gap: 8 }}>
      <Banner variant="success">
        Database user {username} created with the Atlas Admin role. Copy its password now: it is not shown again. Replace &lt;db_password&gt; in the strings below with it.
      </Banner>
      <CopyField label={`Password for ${username}`}>{password}</CopyField>
    </div>
  );
}

/** Drivers, mongosh and the command line tools, for `username` (a placeholder when the project has none). */
function ConnectionMethods({ strings, username, appName }: { strings: Strings; username: string | undefined; appName: string }) {
  const user = username ?? '<db_username>';
  const credentials = `${encodeURIComponent(user)}:<db_password>@`;
  const options = `retryWrites=true&w=majority&appName=${appName}`;
  const driver = `${strings.srv.replace('mongodb+srv://', `mongodb+srv://${credentials}`)}/?${options}`;
  const seedList = strings.standard && `${strings.standard.replace('mongodb://', `mongodb://${credentials}`)}${strings.standard.includes('?') ? '&' : '/?'}${options}`;
  return (
    <>
      <Body weight="medium">Choose a connection method</Body>
      <CopyField label="Drivers" description="Add your connection string into your application code. Replace <db_password> with the password for the database user.">
        {driver}
      </CopyField>
      {seedList && (
        <CopyField label="Drivers without SRV support" description="The same hosts as a seed list, for drivers and tools that cannot look up SRV records.">
          {seedList}
        </CopyField>
      )}
      <CopyField label="Shell" description="Run your connection string in your command line (mongosh).">
        {`mongosh "${strings.srv}/" --apiVersion 1 --username ${user}`}
      </CopyField>
      <CopyField label="Command Line Tools" description="Back up and restore with mongodump and mongorestore.">
        {`mongodump --uri "${strings.srv}/" --username ${user}\nmongorestore --uri "${strings.srv}/" --username ${user} <dump folder>`}
      </CopyField>
      <Body>
        The cluster&apos;s nodes present certificates from this privlink&apos;s own certificate authority: give your client its certificate (<code>ca.pem</code> in privlink&apos;s
        data folder), for example <code>--tlsCAFile ca.pem</code> for mongosh and the command line tools, or <code>tlsCAFile=ca.pem</code> in a driver&apos;s connection string.
      </Body>
    </>
  );
}
