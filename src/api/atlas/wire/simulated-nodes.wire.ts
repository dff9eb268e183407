/** privlink extension body: a cluster's simulated nodes, as the local cloud's node fault switch reports them (no Atlas equivalent). */

export interface SimulatedNodeWire {
  /** The node's target name: `node-0`, `node-1`, … (replica-set members), `mongos-0`, … */
  readonly name: string;
  /** `UP`, or `DOWN` (taken down with the switch: its port resets every connection). */
  readonly state: 'UP' | 'DOWN';
  /** `PRIMARY` (the member that is primary now), `SECONDARY` (every other member, up or down), `MONGOS`. */
  readonly role: 'PRIMARY' | 'SECONDARY' | 'MONGOS';
}

export interface SimulatedNodesWire {
  readonly results: readonly SimulatedNodeWire[];
  readonly totalCount: number;
}
