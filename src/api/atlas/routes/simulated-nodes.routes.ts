import { setSimulatedNodeState, type NodeState } from '../../../app/simulated-nodes.service.js';
import { projectAccess } from '../../route-access.js';
import type { RouteRegistrar } from '../route-registrar.js';
import type { SimulatedNodesWire } from '../wire/simulated-nodes.wire.js';

/**
 * privlink extension (v2 only): the local cloud's node fault switch, for Project Owners and
 * Project Cluster Managers. `POST /groups/{groupId}/clusters/{clusterName}/privlink/nodes/{nodeName}/stop`
 * takes a simulated node down, `…/start` brings it back; both answer the cluster's nodes.
 */
export function simulatedNodesRoutes(r: RouteRegistrar): void {
  const route = (verb: 'stop' | 'start', state: NodeState) =>
    r.post(
      `/groups/:groupId/clusters/:clusterName/privlink/nodes/:nodeName/${verb}`,
      async ({ ctx, principal, params }) => {
        const nodes = await setSimulatedNodeState(ctx, principal, params.groupId!, params.clusterName!, params.nodeName!, state);
        const body: SimulatedNodesWire = { results: nodes.map((n) => ({ name: n.name, state: n.state, role: n.role })), totalCount: nodes.length };
        return { status: 200, body };
      },
      { v2Only: true, access: projectAccess('clusterWrite') },
    );
  route('stop', 'DOWN');
  route('start', 'UP');
}
