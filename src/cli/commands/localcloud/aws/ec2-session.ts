import type { EC2Client } from '@aws-sdk/client-ec2';
import { CliError, FlagError } from '../../../framework/cli-errors.js';
import type { CommandContext } from '../../../framework/command-context.js';
import type { FlagSpec } from '../../../framework/command-spec.js';
import { EXIT } from '../../../framework/exit-codes.js';
import { readBootstrapFile } from '../../config/bootstrap-file.js';

/**
 * The customer side of the local cloud, for when the real `aws` CLI is not at hand: an EC2 client
 * (@aws-sdk/client-ec2, loaded only by these commands) pointed at the local cloud.
 *
 * Each of endpoint, access key id and secret is taken from the first source that has it:
 *   1. flags: `--endpoint-url`; `--data-dir` (the server's bootstrap.json `localCloud` section)
 *   2. environment: AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL; AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY;
 *      PRIVLINK_DATA_DIR (bootstrap.json)
 *   3. profile: localcloud_endpoint, localcloud_access_key_id, localcloud_secret_access_key
 * Region: `--region`, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1.
 */
export const EC2_FLAGS: readonly FlagSpec[] = [
  { syntax: '--endpoint-url <url>', description: "Local cloud endpoint (default: AWS_ENDPOINT_URL, --data-dir, or the profile's localcloud_endpoint)." },
  { syntax: '--region <region>', description: 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or us-east-1).' },
  { syntax: '--data-dir <dir>', description: 'Data directory of a local privlink server: endpoint and customer credentials from its bootstrap.json.' },
  { syntax: '-o, --output <format>', description: "Output format: text (default) or json (the AWS CLI's JSON)." },
];

interface Ec2Target {
  endpoint?: string | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
}

function fromBootstrap(dataDir: string | undefined): Ec2Target {
  if (!dataDir) return {};
  const local = readBootstrapFile(dataDir).localCloud;
  return { endpoint: local?.endpoint, accessKeyId: local?.customer?.accessKeyId, secretAccessKey: local?.customer?.secretAccessKey };
}

/** Resolves the target as documented above (pure apart from reading bootstrap.json). */
function resolveEc2Target(ctx: CommandContext): Required<Ec2Target> & { region: string } {
  const env = ctx.io.env;
  const profile = ctx.profile() ?? {};
  const sources: Ec2Target[] = [
    { endpoint: ctx.flag('endpointUrl') },
    fromBootstrap(ctx.flag('dataDir')),
    { endpoint: env.AWS_ENDPOINT_URL_EC2 || env.AWS_ENDPOINT_URL, accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    fromBootstrap(env.PRIVLINK_DATA_DIR || undefined),
    { endpoint: profile.localcloud_endpoint, accessKeyId: profile.localcloud_access_key_id, secretAccessKey: profile.localcloud_secret_access_key },
  ];
  const pick = (field: keyof Ec2Target) => sources.map((s) => s[field]).find((v) => v !== undefined && v !== '');
  const endpoint = pick('endpoint');
  const accessKeyId = pick('accessKeyId');
  const secretAccessKey = pick('secretAccessKey');
  if (!endpoint) throw new FlagError('no local cloud endpoint: use --endpoint-url, AWS_ENDPOINT_URL, --data-dir, or `privlink config set localcloud_endpoint <url>`');
  if (!accessKeyId || !secretAccessKey) {
    throw new CliError(
      'Unable to locate credentials. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use --data-dir, or run `privlink config init --data-dir <dir>`.',
      EXIT.AUTHENTICATION,
    );
  }
  const region = ctx.flag('region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  return { endpoint, accessKeyId, secretAccessKey, region };
}

/** The EC2 module and a client for the resolved target. */
export async function ec2Client(ctx: CommandContext): Promise<{ sdk: typeof import('@aws-sdk/client-ec2'); client: EC2Client; endpoint: string }> {
  const target = resolveEc2Target(ctx);
  const sdk = await import('@aws-sdk/client-ec2');
  const client = new sdk.EC2Client({
    endpoint: target.endpoint,
    region: target.region,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    maxAttempts: 1,
  });
  return { sdk, client, endpoint: target.endpoint };
}

/**
 * Sends one EC2 operation; failures print as the AWS CLI prints them:
 * `An error occurred (<Code>) when calling the <Operation> operation: <message>`.
 */
export async function callEc2<T>(client: EC2Client, endpoint: string, operation: string, command: object): Promise<T> {
  try {
    return (await client.send(command as never)) as T;
  } catch (error) {
    const e = error as { name?: string; Code?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
    // A service error carries the HTTP status of the answer; a network failure has none.
    if (e.$metadata?.httpStatusCode !== undefined && (e.name || e.Code)) {
      throw new AwsCliError(`An error occurred (${e.Code ?? e.name}) when calling the ${operation} operation: ${e.message ?? ''}`);
    }
    throw new AwsCliError(`Could not connect to the endpoint URL: "${endpoint}" (${e.code ?? e.message ?? String(error)})`);
  } finally {
    client.destroy();
  }
}

/** An AWS-CLI-style error: printed without the `Error:` prefix, exit 1. */
class AwsCliError extends CliError {
  override readonly name = 'AwsCliError';
  override readonly bare = true;
}

/** The AWS CLI's JSON: output members without `$metadata`, 4-space indent, timestamps as `…+00:00`. */
export function awsJson(output: unknown): string {
  const clean = (value: unknown): unknown => {
    if (value instanceof Date) {
      const iso = value.toISOString();
      return iso.endsWith('.000Z') ? iso.replace('.000Z', '+00:00') : iso.replace(/\.(\d{3})Z$/, '.$1000+00:00');
    }
    if (Array.isArray(value)) return value.map(clean);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k, v]) => k !== '$metadata' && v !== undefined)
          .map(([k, v]) => [k, clean(v)]),
      );
    }
    return value;
  };
  return `${JSON.stringify(clean(output), null, 4)}\n`;
}

/** Text or JSON, as chosen by `-o`. */
export function isJsonOutput(ctx: CommandContext): boolean {
  const output = ctx.flag('output') ?? 'text';
  if (output !== 'json' && output !== 'text' && output !== 'plaintext') throw new FlagError(`invalid argument "${output}" for "-o, --output" flag: valid values are text, json`);
  return output === 'json';
}
