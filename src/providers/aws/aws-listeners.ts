import {
  CreateListenerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  type DescribeTargetGroupAttributesCommandOutput,
  type DescribeTargetHealthCommandOutput,
  type Listener,
  type LoadBalancer,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { EndpointServiceSpec, ListenerSpec } from '../cloud-provider.js';
import type { RegionClients } from './aws-clients.js';
import { aws, awsOrAbsent } from './aws-errors.js';
import { SERVICE_TAG, targetGroupName, targetGroupPrefix } from './aws-names.js';

/** How many target groups' health `listenersMatch` reads at once, and how many ports `syncListeners` brings in line at once. */
const PORTS_AT_ONCE = 4;

/**
 * Port-per-node on the network load balancer: one TCP listener per addressable target, each
 * forwarding to a target group `pl-<hash>-<port>` that holds exactly that target. Every step looks
 * first and changes only what differs, so a pass repeated after a crash makes nothing twice.
 */
export async function syncListeners(clients: RegionClients, spec: EndpointServiceSpec, lb: LoadBalancer): Promise<void> {
  const [listeners, ours] = await Promise.all([listListeners(clients, lb.LoadBalancerArn!), ourTargetGroups(clients, spec.id)]);
  const desired = new Map(spec.listeners.map((l) => [l.port, l]));
  for (const listener of listeners) {
    if (listener.Port !== undefined && !desired.has(listener.Port)) {
      await awsOrAbsent(() => clients.elb.send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn })), ['ListenerNotFound', 'ListenerNotFoundException']);
    }
  }
  for (const group of ours) {
    const port = Number(group.TargetGroupName!.split('-').pop());
    if (!desired.has(port)) await deleteTargetGroup(clients, group);
  }
  // Each port's group and listener are its own: a few ports are brought in line at once.
  const syncPort = async (want: ListenerSpec): Promise<void> => {
    const name = targetGroupName(spec.id, want.port);
    let group = ours.find((g) => g.TargetGroupName === name);
    // A group made by this pass has AWS's defaults (no PROXY protocol, no targets): nothing to read back.
    const made = !group;
    if (!group) {
      const created = await aws(() =>
        clients.elb.send(
          // The group's port is only the default for its targets; each target is registered with its own.
          new CreateTargetGroupCommand({ Name: name, Protocol: 'TCP', Port: want.port, VpcId: lb.VpcId, TargetType: 'ip', Tags: [{ Key: SERVICE_TAG, Value: spec.id }] }),
        ),
      );
      group = created.TargetGroups![0]!;
    }
    await syncProxyProtocol(clients, group.TargetGroupArn!, want, made);
    await syncTargets(clients, group.TargetGroupArn!, want, made);
    const listener = listeners.find((l) => l.Port === want.port);
    const forwardsTo = listener?.DefaultActions?.[0]?.TargetGroupArn;
    if (listener && forwardsTo !== group.TargetGroupArn) {
      await awsOrAbsent(() => clients.elb.send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn })), ['ListenerNotFound']);
    }
    if (!listener || forwardsTo !== group.TargetGroupArn) {
      await aws(() =>
        clients.elb.send(
          new CreateListenerCommand({
            LoadBalancerArn: lb.LoadBalancerArn,
            Protocol: 'TCP',
            Port: want.port,
            DefaultActions: [{ Type: 'forward', TargetGroupArn: group!.TargetGroupArn }],
          }),
        ),
      );
    }
  };
  for (let i = 0; i < spec.listeners.length; i += PORTS_AT_ONCE) await Promise.all(spec.listeners.slice(i, i + PORTS_AT_ONCE).map(syncPort));
}

/**
 * Whether the load balancer's listeners match `spec.listeners` (read-only, level-based): the same
 * ports, each forwarding to the service's target group of that port, which holds exactly the
 * wanted targets. One DescribeListeners plus one DescribeTargetHealth per wanted port (a few at once); a listener
 * or target group deleted in the cloud, or a target deregistered there, reads as out of sync.
 * The PROXY protocol attribute is set by `syncListeners` and not re-read here.
 */
export async function listenersMatch(clients: RegionClients, spec: EndpointServiceSpec, loadBalancerArn: string): Promise<boolean> {
  const listeners = await listListeners(clients, loadBalancerArn);
  if (listeners.length !== spec.listeners.length) return false;
  const wanted: Array<{ want: EndpointServiceSpec['listeners'][number]; groupArn: string }> = [];
  for (const want of spec.listeners) {
    const listener = listeners.find((l) => l.Port === want.port);
    const groupArn = listener?.DefaultActions?.[0]?.TargetGroupArn;
    // Target group ARNs end in `targetgroup/<name>/<id>`.
    if (!groupArn || groupArn.split('/').at(-2) !== targetGroupName(spec.id, want.port)) return false;
    wanted.push({ want, groupArn });
  }
  // The target groups' health is read a few at a time (ELB's API rate is limited per account).
  for (let i = 0; i < wanted.length; i += PORTS_AT_ONCE) {
    const batch = wanted.slice(i, i + PORTS_AT_ONCE);
    const healths = await Promise.all(
      batch.map(({ groupArn }) =>
        awsOrAbsent(() => clients.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: groupArn })), ['TargetGroupNotFound', 'TargetGroupNotFoundException']),
      ),
    );
    for (const [k, health] of healths.entries()) {
      if (!health) return false;
      const { want } = batch[k]!;
      const registered = (health.TargetHealthDescriptions ?? []).map((d) => d.Target).filter((t) => t !== undefined);
      if (registered.length !== want.targets.length) return false;
      if (!want.targets.every((w) => registered.some((t) => t.Id === w.host && t.Port === w.port))) return false;
    }
  }
  return true;
}

/** Deletes every listener of the load balancer and every target group made for the service. */
export async function deleteAllListeners(clients: RegionClients, spec: EndpointServiceSpec, lb: LoadBalancer | undefined): Promise<void> {
  if (lb?.LoadBalancerArn) {
    for (const listener of await listListeners(clients, lb.LoadBalancerArn)) {
      await awsOrAbsent(() => clients.elb.send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn })), ['ListenerNotFound', 'ListenerNotFoundException']);
    }
  }
  for (const group of await ourTargetGroups(clients, spec.id)) await deleteTargetGroup(clients, group);
}

async function listListeners(clients: RegionClients, loadBalancerArn: string): Promise<Listener[]> {
  const out: Listener[] = [];
  let marker: string | undefined;
  do {
    const page = await awsOrAbsent(
      () => clients.elb.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker })),
      ['LoadBalancerNotFound', 'LoadBalancerNotFoundException'],
    );
    if (!page) return out;
    out.push(...(page.Listeners ?? []));
    marker = page.NextMarker;
  } while (marker);
  return out;
}

/** Target groups named for this service (found by name prefix, so one created just before a crash is not leaked). */
async function ourTargetGroups(clients: RegionClients, serviceId: string): Promise<TargetGroup[]> {
  const prefix = targetGroupPrefix(serviceId);
  const out: TargetGroup[] = [];
  let marker: string | undefined;
  do {
    const page = await aws(() => clients.elb.send(new DescribeTargetGroupsCommand({ Marker: marker, PageSize: 400 })));
    out.push(...(page.TargetGroups ?? []).filter((g) => g.TargetGroupName?.startsWith(prefix)));
    marker = page.NextMarker;
  } while (marker);
  return out;
}

async function deleteTargetGroup(clients: RegionClients, group: TargetGroup): Promise<void> {
  await awsOrAbsent(() => clients.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: group.TargetGroupArn })), ['TargetGroupNotFound', 'TargetGroupNotFoundException']);
}

/**
 * Registers the wanted targets and deregisters the others. `made`: the group was just created, so
 * it holds none (if another pass made it meanwhile, registering again is harmless and a target it
 * added that is not wanted is seen by the next observe).
 */
async function syncTargets(clients: RegionClients, targetGroupArn: string, want: ListenerSpec, made: boolean): Promise<void> {
  const health: DescribeTargetHealthCommandOutput = made
    ? { $metadata: {} }
    : await aws(() => clients.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })));
  const registered = (health.TargetHealthDescriptions ?? []).map((d) => d.Target!).filter(Boolean);
  const wanted = (t: { Id?: string; Port?: number }) => want.targets.some((w) => w.host === t.Id && w.port === t.Port);
  const stale = registered.filter((t) => !wanted(t));
  if (stale.length > 0) {
    await aws(() =>
      clients.elb.send(
        new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: stale.map((t) => ({ Id: t.Id!, Port: t.Port, AvailabilityZone: t.AvailabilityZone })) }),
      ),
    );
  }
  const missing = want.targets.filter((w) => !registered.some((t) => t.Id === w.host && t.Port === w.port));
  if (missing.length > 0) {
    await aws(() =>
      clients.elb.send(
        new RegisterTargetsCommand({
          TargetGroupArn: targetGroupArn,
          Targets: missing.map((t) => ({ Id: t.host, Port: t.port, ...(t.outsideProviderNetwork ? { AvailabilityZone: 'all' } : {}) })),
        }),
      ),
    );
  }
}

/** Sets `proxy_protocol_v2.enabled` as wanted; a group just made (`made`) has AWS's default, false. */
async function syncProxyProtocol(clients: RegionClients, targetGroupArn: string, want: ListenerSpec, made: boolean): Promise<void> {
  const attributes: DescribeTargetGroupAttributesCommandOutput = made
    ? { $metadata: {} }
    : await aws(() => clients.elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn })));
  const current = attributes.Attributes?.find((a) => a.Key === 'proxy_protocol_v2.enabled')?.Value === 'true';
  if (current === want.proxyProtocol) return;
  await aws(() =>
    clients.elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: targetGroupArn,
        Attributes: [{ Key: 'proxy_protocol_v2.enabled', Value: String(want.proxyProtocol) }],
      }),
    ),
  );
}
