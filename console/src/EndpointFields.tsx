import TextField from './TextField';
import { Body } from '@leafygreen-ui/typography';
import { parseForwardingRules } from '../../src/domain/cloud-commands.js';

// The fields that register the customer's endpoint with an Atlas endpoint service, one set per
// cloud, shared by the Add Private Endpoint wizard's last step and the Edit dialog. `idPrefix`
// keeps ids unique when both are on a page.

export function AwsEndpointFields({ idPrefix, endpointId, onEndpointId }: { idPrefix: string; endpointId: string; onEndpointId: (value: string) => void }) {
  return (
    <TextField
      id={`${idPrefix}vpc-endpoint-id`}
      label="Your VPC Endpoint ID"
      description="The endpoint ID AWS gave your interface endpoint (VPC dashboard → Endpoints → Endpoint ID), vpce- and 17 characters."
      placeholder="vpce-…"
      value={endpointId}
      onChange={(e) => onEndpointId(e.target.value)}
    />
  );
}

interface AzureProps {
  readonly idPrefix: string;
  readonly resourceId: string;
  readonly onResourceId: (value: string) => void;
  readonly ipAddress: string;
  readonly onIpAddress: (value: string) => void;
}

export function AzureEndpointFields({ idPrefix, resourceId, onResourceId, ipAddress, onIpAddress }: AzureProps) {
  return (
    <>
      <TextField
        id={`${idPrefix}azure-resource-id`}
        label="Private Endpoint Resource ID"
        description="The resource ID of your private endpoint (Azure portal → Private endpoint → Properties, or the id the az command printed)."
        placeholder="/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/privateEndpoints/…"
        value={resourceId}
        onChange={(e) => onResourceId(e.target.value)}
      />
      <TextField
        id={`${idPrefix}azure-ip`}
        label="Private Endpoint IP Address"
        description="The private IP address of your private endpoint in your VNet (its network interface)."
        placeholder="10.0.0.4"
        value={ipAddress}
        onChange={(e) => onIpAddress(e.target.value)}
      />
    </>
  );
}

interface GcpProps {
  readonly idPrefix: string;
  readonly groupName: string;
  readonly onGroupName: (value: string) => void;
  readonly projectId: string;
  readonly onProjectId: (value: string) => void;
  readonly rulesText: string;
  readonly onRulesText: (value: string) => void;
  /** How many forwarding rules the service expects (one per service attachment). */
  readonly expected: number;
}

export function GcpEndpointFields({ idPrefix, groupName, onGroupName, projectId, onProjectId, rulesText, onRulesText, expected }: GcpProps) {
  const { rules, problems } = parseForwardingRules(rulesText);
  return (
    <>
      <TextField
        id={`${idPrefix}gcp-project-id`}
        label="Google Cloud Project ID"
        description="The project that holds your VPC and forwarding rules."
        value={projectId}
        onChange={(e) => onProjectId(e.target.value)}
      />
      <TextField
        id={`${idPrefix}gcp-group-name`}
        label="Endpoint Group Name"
        description="The prefix you gave your forwarding rules."
        value={groupName}
        onChange={(e) => onGroupName(e.target.value)}
      />
      <div className="native-select">
        <label htmlFor={`${idPrefix}gcp-rules`}>Forwarding Rules</label>
        <span className="hint" id={`${idPrefix}gcp-rules-hint`}>
          Paste the output of the gcloud compute forwarding-rules list command (table or JSON), or one line per rule: its name and IP address.
        </span>
        <textarea
          id={`${idPrefix}gcp-rules`}
          aria-describedby={`${idPrefix}gcp-rules-hint ${idPrefix}gcp-rules-read`}
          rows={Math.max(3, expected + 1)}
          spellCheck={false}
          value={rulesText}
          onChange={(e) => onRulesText(e.target.value)}
        />
      </div>
      <Body id={`${idPrefix}gcp-rules-read`} className={problems.length ? 'error' : undefined}>
        {problems.length
          ? problems.join(' ')
          : `${rules.length} forwarding rule${rules.length === 1 ? '' : 's'} read${expected ? ` (the endpoint service has ${expected} service attachment${expected === 1 ? '' : 's'})` : ''}.`}
      </Body>
    </>
  );
}
