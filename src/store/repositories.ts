import { AccessListRepository } from './access-list.repository.js';
import { ClustersRepository } from './clusters.repository.js';
import type { Executor } from './database.js';
import { EventsRepository } from './events.repository.js';
import { IdentityRepository } from './identity.repository.js';
import { PortsRepository } from './ports.repository.js';
import { PrivateEndpointsRepository } from './private-endpoints.repository.js';
import { ServerlessEndpointsRepository } from './serverless-endpoints.repository.js';
import { ServerlessInstancesRepository } from './serverless-instances.repository.js';
import { SettingsRepository } from './settings.repository.js';
import { WorkQueueRepository } from './work-queue.repository.js';

/** Every repository over one executor (the database, or one transaction). */
export interface Repositories {
  readonly identity: IdentityRepository;
  readonly clusters: ClustersRepository;
  readonly privateEndpoints: PrivateEndpointsRepository;
  readonly serverlessInstances: ServerlessInstancesRepository;
  readonly serverlessEndpoints: ServerlessEndpointsRepository;
  readonly ports: PortsRepository;
  readonly workQueue: WorkQueueRepository;
  readonly events: EventsRepository;
  readonly settings: SettingsRepository;
  readonly accessList: AccessListRepository;
}

export function repositories(db: Executor): Repositories {
  return {
    identity: new IdentityRepository(db),
    clusters: new ClustersRepository(db),
    privateEndpoints: new PrivateEndpointsRepository(db),
    serverlessInstances: new ServerlessInstancesRepository(db),
    serverlessEndpoints: new ServerlessEndpointsRepository(db),
    ports: new PortsRepository(db),
    workQueue: new WorkQueueRepository(db),
    events: new EventsRepository(db),
    settings: new SettingsRepository(db),
    accessList: new AccessListRepository(db),
  };
}
