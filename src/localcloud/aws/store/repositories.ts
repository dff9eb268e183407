import { ControlRepository } from './control.repository.js';
import { Ec2TagsRepository } from './ec2-tags.repository.js';
import { EndpointsRepository } from './endpoints.repository.js';
import { LoadBalancersRepository } from './load-balancers.repository.js';
import { MessagingRepository } from './messaging.repository.js';
import { NetworkRepository } from './network.repository.js';
import { PeeringRepository } from './peering.repository.js';
import { QuotasRepository } from './quotas.repository.js';
import type { LcExecutor } from './schema.js';

/** Every repository of the AWS emulation, bound to one executor (usually a transaction). */
export interface Repositories {
  readonly control: ControlRepository;
  readonly network: NetworkRepository;
  readonly endpoints: EndpointsRepository;
  readonly loadBalancers: LoadBalancersRepository;
  readonly quotas: QuotasRepository;
  readonly peering: PeeringRepository;
  readonly messaging: MessagingRepository;
  readonly ec2Tags: Ec2TagsRepository;
}

/** Binds the repositories to `db`. Cheap: call once per transaction. */
export function repositories(db: LcExecutor): Repositories {
  return {
    control: new ControlRepository(db),
    network: new NetworkRepository(db),
    endpoints: new EndpointsRepository(db),
    loadBalancers: new LoadBalancersRepository(db),
    quotas: new QuotasRepository(db),
    peering: new PeeringRepository(db),
    messaging: new MessagingRepository(db),
    ec2Tags: new Ec2TagsRepository(db),
  };
}
