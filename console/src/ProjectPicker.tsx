import { useState } from 'react';
import type { OrganizationWire, ProjectWire } from '../../src/api/atlas/wire/identity.wire.js';
import { clustersPath, groupIdOf, navigate, networkPath, type Page } from './router';

/**
 * The header's Organization and Project pickers, as Atlas's: the caller's organizations
 * (`GET /orgs`) and, of the chosen one, the projects the caller can read (`GET /groups`, which
 * lists only those). Choosing a project opens the same page of that project; choosing an
 * organization opens its first project (the project picker stays empty when it has none).
 */
export function ProjectPicker({ page, orgs, projects, sessionOrgId }: { page: Page; orgs: readonly OrganizationWire[]; projects: readonly ProjectWire[]; sessionOrgId: string }) {
  const groupId = groupIdOf(page);
  const projectOrgId = projects.find((p) => p.id === groupId)?.orgId;
  // An organization chosen without a project of its own is kept until a project is chosen.
  const [chosenOrg, setChosenOrg] = useState<{ orgId: string; from: string | undefined }>();
  const orgId = chosenOrg && chosenOrg.from === groupId ? chosenOrg.orgId : (projectOrgId ?? sessionOrgId);
  const orgProjects = projects.filter((p) => p.orgId === orgId);
  const current = orgProjects.some((p) => p.id === groupId) ? groupId! : '';
  return (
    <>
      <label>
        Organization
        <select
          aria-label="Organization"
          value={orgId}
          onChange={(e) => {
            const next = projects.find((p) => p.orgId === e.target.value);
            setChosenOrg({ orgId: e.target.value, from: groupId });
            if (next) navigate(samePageIn(page, next.id));
          }}
        >
          {!orgs.some((o) => o.id === orgId) && <option value={orgId}>{orgId}</option>}
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Project
        <select aria-label="Project" value={current} disabled={orgProjects.length === 0} onChange={(e) => navigate(samePageIn(page, e.target.value))}>
          {current === '' && <option value="">{orgProjects.length === 0 ? 'No project you can read' : 'Choose a project'}</option>}
          {orgProjects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

/** The page `page` shows, in project `groupId` (Network Access → Private Endpoint from the home page). */
function samePageIn(page: Page, groupId: string): string {
  if (page.kind === 'clusters') return clustersPath(groupId);
  return networkPath(groupId, page.kind === 'network' ? page.tab : 'privateEndpoint');
}
