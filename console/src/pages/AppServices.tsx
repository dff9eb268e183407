import Banner from '@leafygreen-ui/banner';
import { Body, H2 } from '@leafygreen-ui/typography';
import type { MouseEvent } from 'react';
import { problemText } from '../api';
import { awsRegionOf, useApps } from '../appservices';
import { appServicesPath, navigate } from '../router';

/** App Services: the project's apps, each leading to its App Settings → Private Endpoints. */
export function AppServices({ groupId, projectName }: { groupId: string; projectName: string | undefined }) {
  const apps = useApps(groupId);
  const open = (appId: string) => (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    navigate(appServicesPath(groupId, appId));
  };
  return (
    <div className="stack">
      <H2 as="h1">App Services{projectName ? ` — ${projectName}` : ''}</H2>
      {apps.isError && <Banner variant="danger">{problemText(apps.error)}</Banner>}
      {apps.isPending && <Body>Loading apps…</Body>}
      {apps.data && apps.data.length === 0 && <Body>This project has no App Services apps. Create one with the App Services Admin API.</Body>}
      {apps.data && apps.data.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Apps table">
          <table className="lg" aria-label="Apps">
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">App ID</th>
                <th scope="col">Deployment</th>
                <th scope="col">Region</th>
                <th scope="col">Settings</th>
              </tr>
            </thead>
            <tbody>
              {apps.data.map((app) => (
                <tr key={app._id} data-app-id={app._id}>
                  <td>{app.name}</td>
                  <td>{app.client_app_id}</td>
                  <td>{app.deployment_model === 'GLOBAL' ? 'Global' : 'Single Region'}</td>
                  <td>{app.deployment_model === 'GLOBAL' ? '—' : app.provider_region.startsWith('aws-') ? `AWS ${awsRegionOf(app.provider_region)}` : app.provider_region}</td>
                  <td>
                    <a href={appServicesPath(groupId, app._id)} onClick={open(app._id)} aria-label={`App Settings of ${app.name}`}>
                      App Settings
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
