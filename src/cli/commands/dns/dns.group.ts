import { defineGroup } from '../../framework/command-spec.js';
import { dnsHostsCommand } from './hosts.command.js';

/** `privlink dns …`: help for clients whose resolver cannot ask the private DNS. */
export const dnsGroup = defineGroup({
  name: 'dns',
  summary: 'Resolve the private endpoint host names of your project without the private DNS.',
  commands: [dnsHostsCommand],
});
