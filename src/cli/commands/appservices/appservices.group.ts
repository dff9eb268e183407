import { defineGroup } from '../../framework/command-spec.js';
import { appsGroup } from './apps.group.js';
import { appServicesLoginCommand } from './login.command.js';
import { appServicesPrivateEndpointsGroup } from './private-endpoints.group.js';

/**
 * `privlink appservices …`: App Services apps and their private endpoints over the App Services
 * Admin API (v3), with the profile's API key (the App Services CLI has no private-endpoint commands).
 */
export const appServicesGroup = defineGroup({
  name: 'appservices',
  aliases: ['app-services'],
  summary: 'Manage App Services apps and their private endpoints.',
  description: 'Uses the App Services Admin API (/api/admin/v3.0) with the API key of your profile.',
  commands: [appsGroup, appServicesLoginCommand, appServicesPrivateEndpointsGroup],
});
