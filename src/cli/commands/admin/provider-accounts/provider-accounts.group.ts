import { defineGroup } from '../../../framework/command-spec.js';
import { providerAccountAddCommand } from './add.command.js';
import { providerAccountDrainCommand } from './drain.command.js';
import { providerAccountListCommand } from './list.command.js';

/** `privlink admin provider-accounts …`: the pool of AWS accounts, Azure subscriptions and GCP projects endpoint services are placed in. */
export const providerAccountsGroup = defineGroup({
  name: 'provider-accounts',
  summary: 'Manage the pool of provider accounts endpoint services are placed in.',
  commands: [providerAccountAddCommand, providerAccountListCommand, providerAccountDrainCommand],
});
