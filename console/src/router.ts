import { useEffect, useState } from 'react';

/** The current path; changes on `navigate` and on the browser's back/forward. */
export function usePath(): string {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    window.addEventListener('popstate', update);
    window.addEventListener('privlink:navigate', update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener('privlink:navigate', update);
    };
  }, []);
  return path;
}

/** Goes to `path` inside the console (history entry, no reload). */
export function navigate(path: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event('privlink:navigate'));
}

/** The console's pages, Atlas's paths: `/v2/<projectId>#/security/network/…` becomes `/v2/<projectId>/security/network/…`. */
export type Page =
  | { readonly kind: 'home' }
  | { readonly kind: 'clusters'; readonly groupId: string }
  | { readonly kind: 'network'; readonly groupId: string; readonly tab: 'accessList' | 'privateEndpoint' }
  | { readonly kind: 'appServices'; readonly groupId: string; readonly appId?: string }
  | { readonly kind: 'orgUsers'; readonly orgId: string };

/** The project a page belongs to (none for the home page and organization pages). */
export function groupIdOf(page: Page): string | undefined {
  return 'groupId' in page ? page.groupId : undefined;
}

export function pageOf(path: string): Page {
  const match = /^\/v2\/([0-9a-f]{24})\/security\/network\/(accessList|privateEndpoint)\/?$/.exec(path);
  if (match) return { kind: 'network', groupId: match[1]!, tab: match[2] as 'accessList' | 'privateEndpoint' };
  const clusters = /^\/v2\/([0-9a-f]{24})\/clusters\/?$/.exec(path);
  if (clusters) return { kind: 'clusters', groupId: clusters[1]! };
  const apps = /^\/v2\/([0-9a-f]{24})\/appServices(?:\/([0-9a-f]{24})\/settings\/privateEndpoints)?\/?$/.exec(path);
  if (apps) return { kind: 'appServices', groupId: apps[1]!, ...(apps[2] ? { appId: apps[2] } : {}) };
  const users = /^\/v2\/org\/([0-9a-f]{24})\/access\/users\/?$/.exec(path);
  if (users) return { kind: 'orgUsers', orgId: users[1]! };
  return { kind: 'home' };
}

export const clustersPath = (groupId: string) => `/v2/${groupId}/clusters`;

export const networkPath = (groupId: string, tab: 'accessList' | 'privateEndpoint') => `/v2/${groupId}/security/network/${tab}`;

/** App Services: the project's apps, or an app's App Settings → Private Endpoints. */
export const appServicesPath = (groupId: string, appId?: string) => `/v2/${groupId}/appServices${appId ? `/${appId}/settings/privateEndpoints` : ''}`;

/** Organization → Access Manager → Users (Atlas: `/v2#/org/<orgId>/access/users`). */
export const orgUsersPath = (orgId: string) => `/v2/org/${orgId}/access/users`;
