import { defineCommand, OUTPUT_FLAG } from '../../framework/command-spec.js';
import { appServicesSession } from './appservices-session.js';

/** `privlink appservices login`: logs in to the App Services Admin API with the profile's API key; `-o json` prints the tokens. */
export const appServicesLoginCommand = defineCommand({
  name: 'login',
  summary: 'Log in to the App Services Admin API with your API key.',
  description:
    'Exchanges the API key pair of the profile for an access token and a refresh token (POST /api/admin/v3.0/auth/providers/mongodb-cloud/login). Every appservices command logs in by itself; this one checks the key and, with -o json, prints the tokens for other tools.',
  flags: [OUTPUT_FLAG],
  examples: ['# Check that your profile can use the App Services Admin API:\nprivlink appservices login'],
  async run(ctx) {
    ctx.outputFormat();
    const answer = await appServicesSession(ctx).login();
    ctx.print(answer, 'Logged in to the App Services Admin API as API key {{.user_id}}\n');
  },
});
