import { useQuery, useQueryClient } from '@tanstack/react-query';
import Button from '@leafygreen-ui/button';
import { Body } from '@leafygreen-ui/typography';
import { useEffect, useMemo, type MouseEvent } from 'react';
import type { OrganizationWire, ProjectWire } from '../../src/api/atlas/wire/identity.wire.js';
import type { PaginatedWire } from '../../src/api/atlas/wire/common.wire.js';
import { call, setCsrfToken, v2 } from './api';
import { NetworkAccess } from './pages/NetworkAccess';
import { SignIn } from './pages/SignIn';
import { Database } from './pages/Database';
import { AppServices } from './pages/AppServices';
import { AppPrivateEndpoints } from './pages/AppPrivateEndpoints';
import { ConsoleUsers } from './pages/ConsoleUsers';
import { ProjectPicker } from './ProjectPicker';
import { appServicesPath, clustersPath, groupIdOf, navigate, networkPath, orgUsersPath, pageOf, usePath } from './router';
import { canOpenProject, isOrgOwner, SESSION_PATH, signedInAs, useSession, type Session } from './session';

export function App() {
  const session = useSession();
  if (session.isPending) return <Body className="signin">Loading…</Body>;
  if (!session.data) return <SignIn />;
  return <Console session={session.data} />;
}

function Console({ session }: { session: Session }) {
  const path = usePath();
  const page = pageOf(path);
  const client = useQueryClient();
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => call<PaginatedWire<ProjectWire>>('GET', v2('/groups?itemsPerPage=500')) });
  const orgs = useQuery({ queryKey: ['orgs'], queryFn: () => call<PaginatedWire<OrganizationWire>>('GET', v2('/orgs')) });
  const groupId = groupIdOf(page);
  const project = projects.data?.results.find((p) => p.id === groupId);
  const readable = useMemo(() => projects.data?.results.filter((p) => canOpenProject(session, p)), [projects.data, session]);

  // The home page opens the first project's Network Access, as Atlas opens the last project used.
  useEffect(() => {
    const first = readable?.[0];
    if (page.kind === 'home' && first) navigate(networkPath(first.id, 'privateEndpoint'), true);
  }, [page.kind, readable]);

  const signOut = async () => {
    await call('DELETE', SESSION_PATH).catch(() => undefined);
    setCsrfToken(undefined);
    client.setQueryData(['session'], null);
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    navigate('/', true);
  };

  return (
    <>
      <header className="topbar">
        <span className="brand">privlink</span>
        <ProjectPicker page={page} orgs={orgs.data?.results ?? []} projects={readable ?? []} sessionOrgId={session.orgId} />
        <span className="spacer" />
        {isOrgOwner(session, session.orgId) && (
          <a
            className="org-link"
            href={orgUsersPath(session.orgId)}
            aria-current={page.kind === 'orgUsers' ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(orgUsersPath(session.orgId));
            }}
          >
            Access Manager
          </a>
        )}
        <span className="who">{signedInAs(session)}</span>
        <Button size="small" onClick={signOut}>
          Sign Out
        </Button>
      </header>
      <div className="shell">
        {groupId && (
          <nav className="side" aria-label="Project">
            <h2>Deployment</h2>
            <NavLink href={clustersPath(groupId)} current={page.kind === 'clusters'}>
              Database
            </NavLink>
            <h2>Services</h2>
            <NavLink href={appServicesPath(groupId)} current={page.kind === 'appServices'}>
              App Services
            </NavLink>
            <h2>Security</h2>
            <NavLink href={networkPath(groupId, 'privateEndpoint')} current={page.kind === 'network'}>
              Network Access
            </NavLink>
          </nav>
        )}
        <main>
          {projects.isError && <Body className="error">{String(projects.error)}</Body>}
          {page.kind === 'network' && <NetworkAccess key={page.groupId} session={session} groupId={page.groupId} tab={page.tab} projectName={project?.name} />}
          {page.kind === 'clusters' && <Database key={page.groupId} session={session} groupId={page.groupId} projectName={project?.name} />}
          {page.kind === 'appServices' && !page.appId && <AppServices key={page.groupId} groupId={page.groupId} projectName={project?.name} />}
          {page.kind === 'appServices' && page.appId && <AppPrivateEndpoints key={page.appId} session={session} groupId={page.groupId} appId={page.appId} />}
          {page.kind === 'orgUsers' && (
            <ConsoleUsers key={page.orgId} session={session} orgId={page.orgId} projects={projects.data?.results.filter((p) => p.orgId === page.orgId) ?? []} />
          )}
          {page.kind === 'home' && readable && readable.length === 0 && <Body>You have no project yet. Create one with the Admin API or the CLI.</Body>}
        </main>
      </div>
    </>
  );
}

function NavLink({ href, current, children }: { href: string; current: boolean; children: string }) {
  const go = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={go} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
