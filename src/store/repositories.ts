import { AppServicesAccessListRepository } from './appservices-access-list.repository.js';
import { AppServicesAppsRepository } from './appservices-apps.repository.js';
import { AppServicesEndpointsRepository } from './appservices-endpoints.repository.js';
import { AccessListRepository } from './access-list.repository.js';
import { ClustersRepository } from './clusters.repository.js';
import { ConsoleUsersRepository } from './console-users.repository.js';
import { DatabaseUsersRepository } from './database-users.repository.js';
import type { Executor } from './database.js';
import { EventsRepository } from './events.repository.js';
import { IdentityRepository } from './identity.repository.js';
import { PortsRepository } from './ports.repository.js';
import { PrivateEndpointsRepository } from './private-endpoints.repository.js';
import { PublicRouteChangesRepository } from './public-route-changes.repository.js';
import { ProviderAccountsRepository } from './provider-accounts.repository.js';
import { ServerlessEndpointsRepository } from './serverless-endpoints.repository.js';
import { ServerlessInstancesRepository } from './serverless-instances.repository.js';
import { SettingsRepository } from './settings.repository.js';
import { SimulatedNodesRepository } from './simulated-nodes.repository.js';
import { WebhooksRepository } from './webhooks.repository.js';
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
  readonly databaseUsers: DatabaseUsersRepository;
  readonly providerAccounts: ProviderAccountsRepository;
  readonly appServicesApps: AppServicesAppsRepository;
  readonly appServicesEndpoints: AppServicesEndpointsRepository;
  readonly appServicesAccessList: AppServicesAccessListRepository;
  readonly accessList: AccessListRepository;
  readonly webhooks: WebhooksRepository;
  readonly consoleUsers: ConsoleUsersRepository;
  readonly simulatedNodes: SimulatedNodesRepository;
  readonly publicRouteChanges: PublicRouteChangesRepository;
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
    databaseUsers: new DatabaseUsersRepository(db),
    providerAccounts: new ProviderAccountsRepository(db),
    appServicesApps: new AppServicesAppsRepository(db),
    appServicesEndpoints: new AppServicesEndpointsRepository(db),
    appServicesAccessList: new AppServicesAccessListRepository(db),
    accessList: new AccessListRepository(db),
    webhooks: new WebhooksRepository(db),
    consoleUsers: new ConsoleUsersRepository(db),
    simulatedNodes: new SimulatedNodesRepository(db),
    publicRouteChanges: new PublicRouteChangesRepository(db),
  };
}
