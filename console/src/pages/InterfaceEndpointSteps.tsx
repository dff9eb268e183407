import Banner from '@leafygreen-ui/banner';
import TextField from '../TextField';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { EndpointServiceWire } from '../../../src/api/atlas/wire/private-endpoints.wire.js';
import { createAzurePrivateEndpointCommand, createGcpEndpointsScript, createVpcEndpointCommand, type AzureNetwork, type GcpNetwork } from '../../../src/domain/cloud-commands.js';
import { CopyField } from '../CopyField';
import { AwsInterfaceEndpointFields } from '../WizardDialog';

// The Add Private Endpoint wizard's second step, one per cloud: the customer describes their
// network and copies the command Atlas generates for it (Copy waits until the service names what
// to connect to).

/** What the customer entered about their network, on each cloud (kept while they go back and forth). */
export function useInterfaceFields() {
  const [vpcId, setVpcId] = useState('');
  const [subnetIds, setSubnetIds] = useState('');
  const [azure, setAzure] = useState<AzureNetwork>({ resourceGroup: '', vnet: '', subnet: '', endpointName: '' });
  const [gcp, setGcp] = useState<GcpNetwork>({ projectId: '', vpc: '', subnet: '', prefix: '' });
  return { vpcId, setVpcId, subnetIds, setSubnetIds, azure, setAzure, gcp, setGcp };
}
type Fields = ReturnType<typeof useInterfaceFields>;

interface StepProps {
  readonly service: EndpointServiceWire | undefined;
  readonly ready: boolean;
  readonly fields: Fields;
}

export function AwsInterfaceStep({ region, service, ready, fields }: StepProps & { region: string }) {
  const serviceName = service?.cloudProvider === 'AWS' ? service.endpointServiceName : null;
  const command = createVpcEndpointCommand(region, serviceName, fields.vpcId.trim(), fields.subnetIds);
  return (
    <>
      <AwsInterfaceEndpointFields
        idPrefix=""
        vpcId={fields.vpcId}
        onVpcId={fields.setVpcId}
        subnetIds={fields.subnetIds}
        onSubnetIds={fields.setSubnetIds}
        ready={ready}
        command={command}
      />
      <Banner variant="warning">
        If AWS answers "The VPC endpoint service … does not support the availability zone of the subnet", Atlas has deployed VPC resources into different availability zones than
        your subnets. Describe the service (aws ec2 describe-vpc-endpoint-services --service-names {serviceName ?? '<service name>'}), deploy a subnet into one of the availability
        zones it supports, replace the Subnet IDs above with it, and copy and run the command again.
      </Banner>
    </>
  );
}

export function AzureInterfaceStep({ service, ready, fields }: StepProps) {
  const azure = service?.cloudProvider === 'AZURE' ? service : undefined;
  return (
    <AzurePrivateEndpointStep
      idPrefix=""
      serviceResourceId={azure?.privateLinkServiceResourceId ?? null}
      serviceName={azure?.privateLinkServiceName ?? null}
      ready={ready}
      fields={fields}
    />
  );
}

interface AzureStepProps {
  /** Prefix of the fields' ids (two wizards may share a page). */
  readonly idPrefix: string;
  /** The private link service the customer connects to (its resource id and name), null until Atlas has made it. */
  readonly serviceResourceId: string | null;
  readonly serviceName: string | null;
  /** The private link service exists: the command can be copied. */
  readonly ready: boolean;
  readonly fields: Fields;
}

/**
 * Atlas's Create Private Endpoint step on Azure, for any private link service Atlas made (a
 * dedicated cluster's endpoint service or a serverless instance's private endpoint): your resource
 * group, VNet, subnet and a name for the private endpoint, and the generated `az network
 * private-endpoint create` command (Copy waits for the names and the service).
 */
export function AzurePrivateEndpointStep({ idPrefix, serviceResourceId, serviceName, ready, fields }: AzureStepProps) {
  const { resourceGroup, vnet, subnet, endpointName } = fields.azure;
  const set = (change: Partial<AzureNetwork>) => fields.setAzure({ ...fields.azure, ...change });
  const command = createAzurePrivateEndpointCommand(
    { resourceGroup: resourceGroup.trim(), vnet: vnet.trim(), subnet: subnet.trim(), endpointName: endpointName.trim() },
    serviceResourceId,
    serviceName,
  );
  const complete = [resourceGroup, vnet, subnet, endpointName].every((v) => v.trim() !== '');
  return (
    <>
      <TextField
        id={`${idPrefix}azure-resource-group`}
        label="Resource Group Name"
        description="The resource group of your VNet."
        value={resourceGroup}
        onChange={(e) => set({ resourceGroup: e.target.value })}
      />
      <TextField
        id={`${idPrefix}azure-vnet`}
        label="Virtual Network Name"
        description="The VNet your application runs in."
        value={vnet}
        onChange={(e) => set({ vnet: e.target.value })}
      />
      <TextField
        id={`${idPrefix}azure-subnet`}
        label="Subnet Name"
        description="The subnet of that VNet for the private endpoint."
        value={subnet}
        onChange={(e) => set({ subnet: e.target.value })}
      />
      <TextField
        id={`${idPrefix}azure-endpoint-name`}
        label="Private Endpoint Name"
        description="A name for the private endpoint Azure creates."
        value={endpointName}
        onChange={(e) => set({ endpointName: e.target.value })}
      />
      <CopyField label="Run this command with the Azure CLI" disabled={!ready || !complete}>
        {command}
      </CopyField>
      {!ready && <Body>You can't copy the command until Atlas finishes creating the private link service in the background.</Body>}
    </>
  );
}

export function GcpInterfaceStep({ region, service, ready, fields }: StepProps & { region: string }) {
  const attachments = service?.cloudProvider === 'GCP' ? service.serviceAttachmentNames : [];
  const { projectId, vpc, subnet, prefix } = fields.gcp;
  const set = (change: Partial<GcpNetwork>) => fields.setGcp({ ...fields.gcp, ...change });
  const script = createGcpEndpointsScript({ projectId: projectId.trim(), vpc: vpc.trim(), subnet: subnet.trim(), prefix: prefix.trim() }, region, attachments);
  const complete = [projectId, vpc, subnet, prefix].every((v) => v.trim() !== '');
  return (
    <>
      <TextField
        id="gcp-wizard-project-id"
        label="Your Google Cloud Project ID"
        description="The project of your VPC."
        value={projectId}
        onChange={(e) => set({ projectId: e.target.value })}
      />
      <TextField id="gcp-vpc" label="VPC Name" description="The VPC network your application runs in." value={vpc} onChange={(e) => set({ vpc: e.target.value })} />
      <TextField id="gcp-subnet" label="Subnet Name" description={`A subnet of that VPC in ${region}.`} value={subnet} onChange={(e) => set({ subnet: e.target.value })} />
      <TextField
        id="gcp-prefix"
        label="Private Service Connect Endpoint Prefix"
        description="Starts the names of your addresses and forwarding rules, and names the endpoint group (lowercase letters, digits, hyphens)."
        value={prefix}
        onChange={(e) => set({ prefix: e.target.value })}
      />
      <CopyField
        label="Run this script with the gcloud CLI"
        description={`It reserves ${attachments.length || 'an'} internal address${attachments.length === 1 ? '' : 'es'} and creates a forwarding rule to each service attachment, then lists the rules for the next step.`}
        disabled={!ready || !complete}
      >
        {script}
      </CopyField>
      {!ready && <Body>You can't copy the script until Atlas finishes creating the service attachments in the background.</Body>}
    </>
  );
}
