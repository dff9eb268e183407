/** The text of `privlink help environment` (the precedence table of settings.ts, for users). */
export const ENVIRONMENT_HELP = `Settings and where they come from (first match wins):

  flag  >  environment  >  profile  >  default

  base URL     env      PRIVLINK_BASE_URL, MONGODB_ATLAS_OPS_MANAGER_URL, MONGODB_ATLAS_BASE_URL
               profile  ops_manager_url, base_url
               default  http://localhost:8080/
  public key   env      PRIVLINK_PUBLIC_API_KEY, MONGODB_ATLAS_PUBLIC_API_KEY
               profile  public_api_key
  private key  env      PRIVLINK_PRIVATE_API_KEY, MONGODB_ATLAS_PRIVATE_API_KEY
               profile  private_api_key
  project      flag     --projectId
               env      PRIVLINK_PROJECT_ID, MONGODB_ATLAS_PROJECT_ID
               profile  project_id
  org          flag     --orgId
               env      PRIVLINK_ORG_ID, MONGODB_ATLAS_ORG_ID
               profile  org_id
  output       flag     -o, --output
               env      PRIVLINK_OUTPUT, MONGODB_ATLAS_OUTPUT
               profile  output
               default  plaintext

The profile is -P/--profile, else PRIVLINK_PROFILE, else "default". Profiles live in
$XDG_CONFIG_HOME/privlink/config.toml, else ~/.config/privlink/config.toml (mode 0600).
An empty value counts as unset.

Local cloud (privlink localcloud aws …): --endpoint-url and --data-dir, then AWS_ENDPOINT_URL_EC2,
AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and PRIVLINK_DATA_DIR, then the profile
keys localcloud_endpoint, localcloud_access_key_id, localcloud_secret_access_key.

Local cloud Azure (privlink localcloud azure …): --data-dir, then AZURE_RESOURCE_MANAGER_ENDPOINT
(with AZURE_AUTHORITY_HOST and NODE_EXTRA_CA_CERTS), AZURE_TENANT_ID, AZURE_CLIENT_ID,
AZURE_CLIENT_SECRET, AZURE_SUBSCRIPTION_ID, then PRIVLINK_DATA_DIR.

Terminal behaviour: PRIVLINK_FORCE_TTY=1 treats stdin, stdout and stderr as terminals (aligned
tables, spinner, prompts read from stdin); PRIVLINK_FORCE_TTY=0 treats none as one.
NO_COLOR (any value) or TERM=dumb turns colour off.
`;
