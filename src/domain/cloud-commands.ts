// The commands the console's Add Private Endpoint wizards show for the customer's side on AWS,
// Azure and Google Cloud, as Atlas shows them, and the reading of what the customer pastes back.
// Pure functions (no DOM, no I/O): the console bundles them, the unit tests run them under Node.

/** The customer's `aws ec2 create-vpc-endpoint` command, as the wizard shows it. */
export function createVpcEndpointCommand(region: string, serviceName: string | null, vpcId: string, subnetIds: string): string {
  const subnets = subnetIds
    .split(/[\s,]+/)
    .filter(Boolean)
    .join(' ');
  return `aws ec2 create-vpc-endpoint --vpc-id ${vpcId || '<your VPC ID>'} --region ${region} --service-name ${serviceName ?? '<creating…>'} --vpc-endpoint-type Interface --subnet-ids ${subnets || '<your subnet IDs>'}`;
}

/** What the customer entered about their Azure network. */
export interface AzureNetwork {
  readonly resourceGroup: string;
  readonly vnet: string;
  readonly subnet: string;
  readonly endpointName: string;
}

/**
 * The customer's `az network private-endpoint create` command, connecting their subnet to the
 * private link service (`<creating…>` until Atlas has made it), then the command that prints the
 * two values the wizard asks for next.
 */
export function createAzurePrivateEndpointCommand(network: AzureNetwork, serviceResourceId: string | null, serviceName: string | null): string {
  const rg = network.resourceGroup || '<your resource group>';
  const name = network.endpointName || '<your endpoint name>';
  return [
    `az network private-endpoint create --resource-group ${rg} --name ${name} --vnet-name ${network.vnet || '<your VNet name>'} --subnet ${network.subnet || '<your subnet name>'} --private-connection-resource-id ${serviceResourceId ?? '<creating…>'} --connection-name ${serviceName ?? '<creating…>'} --manual-request true`,
    `az network private-endpoint show --resource-group ${rg} --name ${name} --query "{id: id, privateEndpointIPAddress: customDnsConfigs[0].ipAddresses[0]}"`,
  ].join('\n');
}

/** What the customer entered about their Google Cloud network. */
export interface GcpNetwork {
  readonly projectId: string;
  readonly vpc: string;
  readonly subnet: string;
  /** Prefix of the addresses and forwarding rules, and the endpoint group's name. */
  readonly prefix: string;
}

/**
 * The customer's gcloud script: per service attachment, reserve an internal address in the subnet
 * and create forwarding rule `<prefix>-<i>` to the attachment; then list the rules (name and IP),
 * the output the wizard reads back.
 */
export function createGcpEndpointsScript(network: GcpNetwork, region: string, attachments: readonly string[]): string {
  const prefix = network.prefix || '<your endpoint prefix>';
  const targets = attachments.length ? attachments : ['<creating…>'];
  return [
    `gcloud config set project ${network.projectId || '<your Google Cloud project ID>'}`,
    ...targets.map((_, i) => `gcloud compute addresses create ${prefix}-ip-${i} --region=${region} --subnet=${network.subnet || '<your subnet name>'}`),
    ...targets.map(
      (attachment, i) =>
        `gcloud compute forwarding-rules create ${prefix}-${i} --region=${region} --network=${network.vpc || '<your VPC name>'} --address=${prefix}-ip-${i} --target-service-attachment=${attachment}`,
    ),
    `gcloud compute forwarding-rules list --regions=${region} --filter="name~^${prefix}-" --format="table(name,IPAddress)"`,
  ].join('\n');
}

/** A forwarding rule as the API takes it. */
export interface ForwardingRule {
  readonly endpointName: string;
  readonly ipAddress: string;
}

/** A dotted IPv4 address, each part 0 to 255. */
function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

/**
 * Reads forwarding rules from what the customer pastes: the JSON of `gcloud compute
 * forwarding-rules list --format=json` (`name`, `IPAddress`), its table output (a header line
 * starting with NAME is skipped), or lines of "name ip". Each line's first word is the name and its
 * first IPv4 address the IP. Returns the rules it could read and, for each line or JSON item it
 * could not, why (such an item is left out of `rules`).
 */
export function parseForwardingRules(text: string): { rules: ForwardingRule[]; problems: string[] } {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let items: unknown;
    try {
      items = JSON.parse(trimmed);
    } catch {
      return { rules: [], problems: ['The JSON could not be read.'] };
    }
    const rules: ForwardingRule[] = [];
    const problems: string[] = [];
    (Array.isArray(items) ? items : []).forEach((item: unknown, i) => {
      const fields = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
      const name = fields.name ?? fields.endpointName;
      const ip = fields.IPAddress ?? fields.ipAddress;
      if (typeof name === 'string' && name !== '' && typeof ip === 'string' && isIpv4(ip)) rules.push({ endpointName: name, ipAddress: ip });
      else problems.push(`Item ${i + 1} has no name or IP address: ${JSON.stringify(item)}`);
    });
    return { rules, problems };
  }
  const rules: ForwardingRule[] = [];
  const problems: string[] = [];
  trimmed.split('\n').forEach((line, i) => {
    const words = line.split(/[\s,]+/).filter(Boolean);
    if (words.length === 0 || words[0] === 'NAME') return;
    const ip = words.slice(1).find((w) => isIpv4(w));
    if (ip) rules.push({ endpointName: words[0]!, ipAddress: ip });
    else problems.push(`Line ${i + 1} has no IP address: ${line.trim()}`);
  });
  return { rules, problems };
}
