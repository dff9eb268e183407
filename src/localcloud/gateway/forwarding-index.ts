import { listEditsSince, type DataPlaneSnapshot, type ListEdit, type SnapshotEndpoint, type SnapshotLoadBalancer, type SnapshotService } from '../common/data-plane-snapshot.js';

/** The lists a gateway's listeners are made from. */
interface ForwardingLists {
  readonly endpoints: DataPlaneSnapshot['endpoints'];
  readonly services: DataPlaneSnapshot['services'];
  readonly loadBalancers: DataPlaneSnapshot['loadBalancers'];
}

/**
 * What the gateway's listeners are made from — the endpoints, their services and the services'
 * load balancers — by id, following a snapshot source from picture to picture, and which endpoints
 * a new picture touches. When a list says how it was made from the one seen last (`ListEdit`, the
 * data-plane worker's pictures and the AWS local cloud's do), only the entities it names are
 * looked at, and the endpoints touched are those changed, their services' and those services' load
 * balancers': a change costs the gateway what it touches, not a walk over every endpoint. Otherwise
 * (the first picture, a list rebuilt whole, an id repeated within a list) `follow` answers `'all'`
 * and the gateway reads the whole picture.
 */
export class ForwardingIndex {
  private seen: ForwardingLists | undefined;
  private readonly endpoints = new Map<string, SnapshotEndpoint>();
  private readonly services = new Map<string, SnapshotService>();
  private readonly balancers = new Map<string, SnapshotLoadBalancer>();
  private readonly endpointsOfService = new Map<string, Set<string>>();
  private readonly servicesOfBalancer = new Map<string, Set<string>>();
  /** An id appears twice in a list: which entity counts then follows the picture's order, read whole. */
  private repeated = false;

  /** Takes in `snapshot`; answers the ids of the endpoints whose listeners it may change, or `'all'`. */
  follow(snapshot: DataPlaneSnapshot): ReadonlySet<string> | 'all' {
    const lists: ForwardingLists = { endpoints: snapshot.endpoints, services: snapshot.services, loadBalancers: snapshot.loadBalancers };
    const seen = this.seen;
    this.seen = lists;
    if (!seen || this.repeated) return this.rebuild(lists);
    const endpointEdits = listEditsSince(lists.endpoints, seen.endpoints);
    const serviceEdits = listEditsSince(lists.services, seen.services);
    const balancerEdits = listEditsSince(lists.loadBalancers, seen.loadBalancers);
    if (!endpointEdits || !serviceEdits || !balancerEdits) return this.rebuild(lists);
    const touched = new Set<string>();
    const touch = (endpointIds: Iterable<string> | undefined) => {
      for (const id of endpointIds ?? []) touched.add(id);
    };
    // Each list's edits, oldest first; an added id already known means an id listed twice: read whole.
    const steps = <T>(edits: readonly ListEdit[], remove: (entity: T) => void, put: (entity: T, isNew: boolean) => boolean): boolean => {
      for (const edit of edits) {
        for (const entity of edit.removed ?? []) remove(entity as T);
        for (const entity of edit.changed) if (!put(entity as T, false)) return false;
        for (const entity of edit.added) if (!put(entity as T, true)) return false;
      }
      return true;
    };
    const applied =
      steps(
        endpointEdits,
        (endpoint: SnapshotEndpoint) => {
          this.removeEndpoint(endpoint.endpointId);
          touched.add(endpoint.endpointId);
        },
        (endpoint: SnapshotEndpoint, isNew) => {
          if (isNew && this.endpoints.has(endpoint.endpointId)) return false;
          this.putEndpoint(endpoint);
          touched.add(endpoint.endpointId);
          return true;
        },
      ) &&
      steps(
        serviceEdits,
        (service: SnapshotService) => {
          this.removeService(service.serviceId);
          touch(this.endpointsOfService.get(service.serviceId));
        },
        (service: SnapshotService, isNew) => {
          if (isNew && this.services.has(service.serviceId)) return false;
          this.putService(service);
          touch(this.endpointsOfService.get(service.serviceId));
          return true;
        },
      ) &&
      steps(
        balancerEdits,
        (balancer: SnapshotLoadBalancer) => {
          this.balancers.delete(balancer.loadBalancerId);
          for (const serviceId of this.servicesOfBalancer.get(balancer.loadBalancerId) ?? []) touch(this.endpointsOfService.get(serviceId));
        },
        (balancer: SnapshotLoadBalancer, isNew) => {
          if (isNew && this.balancers.has(balancer.loadBalancerId)) return false;
          this.balancers.set(balancer.loadBalancerId, balancer);
          for (const serviceId of this.servicesOfBalancer.get(balancer.loadBalancerId) ?? []) touch(this.endpointsOfService.get(serviceId));
          return true;
        },
      );
    return applied ? touched : this.rebuild(lists);
  }

  /** The endpoint with this id in the picture followed last. */
  endpoint(endpointId: string): SnapshotEndpoint | undefined {
    return this.endpoints.get(endpointId);
  }

  /** The service with this id in the picture followed last. */
  service(serviceId: string): SnapshotService | undefined {
    return this.services.get(serviceId);
  }

  /** A service's active load balancers, each once, in the order the service names them. */
  activeBalancersOf(service: SnapshotService): SnapshotLoadBalancer[] {
    const found: SnapshotLoadBalancer[] = [];
    for (const id of new Set(service.loadBalancerIds)) {
      const balancer = this.balancers.get(id);
      if (balancer?.active) found.push(balancer);
    }
    return found;
  }

  private rebuild(lists: ForwardingLists): 'all' {
    this.endpoints.clear();
    this.services.clear();
    this.balancers.clear();
    this.endpointsOfService.clear();
    this.servicesOfBalancer.clear();
    this.repeated = false;
    for (const service of lists.services) {
      if (this.services.has(service.serviceId)) this.repeated = true;
      else this.putService(service);
    }
    for (const balancer of lists.loadBalancers) {
      if (this.balancers.has(balancer.loadBalancerId)) this.repeated = true;
      else this.balancers.set(balancer.loadBalancerId, balancer);
    }
    for (const endpoint of lists.endpoints) {
      if (this.endpoints.has(endpoint.endpointId)) this.repeated = true;
      else this.putEndpoint(endpoint);
    }
    return 'all';
  }

  private putEndpoint(endpoint: SnapshotEndpoint): void {
    const old = this.endpoints.get(endpoint.endpointId);
    if (old && old.serviceId !== endpoint.serviceId) unrelate(this.endpointsOfService, old.serviceId, endpoint.endpointId);
    this.endpoints.set(endpoint.endpointId, endpoint);
    related(this.endpointsOfService, endpoint.serviceId).add(endpoint.endpointId);
  }

  private removeEndpoint(endpointId: string): void {
    const old = this.endpoints.get(endpointId);
    if (!old) return;
    this.endpoints.delete(endpointId);
    unrelate(this.endpointsOfService, old.serviceId, endpointId);
  }

  private putService(service: SnapshotService): void {
    this.removeService(service.serviceId);
    this.services.set(service.serviceId, service);
    for (const id of service.loadBalancerIds) related(this.servicesOfBalancer, id).add(service.serviceId);
  }

  private removeService(serviceId: string): void {
    const old = this.services.get(serviceId);
    if (!old) return;
    this.services.delete(serviceId);
    for (const id of old.loadBalancerIds) unrelate(this.servicesOfBalancer, id, serviceId);
  }
}

/** The set under `key`, made when missing. */
function related(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

/** Takes `value` out of the set under `key`, and the set once empty. */
function unrelate(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set?.delete(value) && set.size === 0) map.delete(key);
}
