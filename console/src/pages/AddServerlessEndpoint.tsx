import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { ServerlessInstanceWire, ServerlessTenantEndpointUpdateWire, ServerlessTenantEndpointWire } from '../../../src/api/atlas/wire/serverless.wire.js';
import type { CloudProvider } from '../../../src/domain/regions.js';
import { findRegion } from '../../../src/domain/regions.js';
import type { ServerlessEndpointProvider } from '../../../src/domain/serverless-endpoint.js';
import { call } from '../api';
import { CopyField } from '../CopyField';
import { usePaymentGate } from '../PaymentPrompt';
import { AwsEndpointFields, AzureEndpointFields } from '../EndpointFields';
import { AwsInterfaceEndpointFields, useWizardAction, WizardDialog } from '../WizardDialog';
import { createVpcEndpointCommand } from '../../../src/domain/cloud-commands.js';
import { providerLabel, statusText } from '../endpoints';
import {
  endpointProviderOf,
  instancesWithEndpoints,
  SERVERLESS_ENDPOINT_PROVIDERS,
  tenantEndpointPath,
  tenantEndpointsKey,
  tenantEndpointsPath,
  useTenantEndpoint,
} from '../serverless';
import { AzurePrivateEndpointStep, useInterfaceFields } from './InterfaceEndpointSteps';

const STEPS: Record<ServerlessEndpointProvider, readonly string[]> = {
  AWS: ['Serverless Instance', 'Interface Endpoint', 'Finalize Endpoint Connection'],
  AZURE: ['Serverless Instance', 'Create Private Endpoint', 'Finalize Endpoint Connection'],
};

/** What Atlas reserves in the background, per cloud (the progress banner's words). */
const RESOURCES: Record<ServerlessEndpointProvider, string> = { AWS: 'VPC resources', AZURE: 'the private link service' };

/** The customer's network, per cloud. */
const NETWORK: Record<ServerlessEndpointProvider, string> = { AWS: 'AWS VPC', AZURE: 'Azure VNet' };

interface Props {
  readonly groupId: string;
  readonly instances: readonly ServerlessInstanceWire[];
  /** The clouds this deployment serves (the session's `providers`): only instances on these are offered. */
  readonly providers: readonly CloudProvider[];
  readonly onClose: () => void;
}

/**
 * Add Private Endpoint for a serverless instance on AWS or Azure, in Atlas's steps: choose the
 * instance (of those on a cloud this deployment serves; its provider and region are filled in;
 * Next asks Atlas for the endpoint, which reserves an endpoint service: RESERVATION_REQUESTED →
 * RESERVED); while it is reserved, describe your network and copy the generated command (copying
 * waits for the service): `aws ec2 create-vpc-endpoint` for your VPC ID and subnet IDs, or `az
 * network private-endpoint create` for your resource group, VNet and subnet; then enter what your
 * cloud made (the VPC endpoint ID, or the private endpoint's resource ID and IP address) and Create,
 * which registers it with the endpoint (PATCH). While the organization has no payment information,
 * the Payment Information step comes first.
 */
export function AddServerlessEndpoint({ groupId, instances, providers, onClose }: Props) {
  const client = useQueryClient();
  const offered = instancesWithEndpoints(instances, providers);
  const [step, setStep] = useState(0);
  const [instanceName, setInstanceName] = useState(offered[0]?.name ?? '');
  const [endpointId, setEndpointId] = useState<string>();
  const fields = useInterfaceFields();
  const [vpceId, setVpceId] = useState('');
  const [azureId, setAzureId] = useState('');
  const [azureIp, setAzureIp] = useState('');
  const { busy, error, run } = useWizardAction();
  const payment = usePaymentGate(groupId);
  const instance = offered.find((i) => i.name === instanceName);
  const provider: ServerlessEndpointProvider = (instance && endpointProviderOf(instance)) ?? 'AWS';
  const region = instance ? (findRegion(provider, instance.providerSettings.regionName)?.providerName ?? instance.providerSettings.regionName) : '';
  const endpoint = useTenantEndpoint(groupId, instanceName, endpointId);
  const serviceName = endpoint.data?.endpointServiceName ?? null;
  const serviceResourceId = endpoint.data?.providerName === 'AZURE' ? endpoint.data.privateLinkServiceResourceId : null;
  const ready = endpoint.data?.status === 'RESERVED' && serviceName !== null && (provider === 'AWS' || serviceResourceId !== null);
  const failed = endpoint.data?.status === 'FAILED';

  const reserve = () =>
    run(async () => {
      const created = await call<ServerlessTenantEndpointWire>('POST', tenantEndpointsPath(groupId, instanceName), {});
      setEndpointId(created._id);
      await client.invalidateQueries({ queryKey: tenantEndpointsKey(groupId) });
      setStep(1);
    });

  const update: ServerlessTenantEndpointUpdateWire =
    provider === 'AWS'
      ? { providerName: 'AWS', cloudProviderEndpointId: vpceId.trim() }
      : { providerName: 'AZURE', cloudProviderEndpointId: azureId.trim(), privateEndpointIpAddress: azureIp.trim() };
  const complete = provider === 'AWS' ? vpceId.trim() !== '' : azureId.trim() !== '' && azureIp.trim() !== '';

  const register = () =>
    run(async () => {
      await call('PATCH', tenantEndpointPath(groupId, instanceName, endpointId!), update);
      await client.invalidateQueries({ queryKey: tenantEndpointsKey(groupId) });
      onClose();
    });

  return (
    <WizardDialog
      titleId="add-serverless-pe-title"
      title="Create Private Endpoint for a Serverless Instance"
      steps={STEPS[provider]}
      step={step}
      error={error}
      onClose={onClose}
      payment={payment}
    >
      {step === 0 && (
        <>
          {offered.length === 0 && <NoInstanceOffered instances={instances} providers={providers} />}
          <label className="native-select">
            Serverless Instance
            <select value={instanceName} onChange={(e) => setInstanceName(e.target.value)}>
              {offered.map((i) => (
                <option key={i.id} value={i.name}>
                  {i.name}
                </option>
              ))}
            </select>
          </label>
          <dl className="facts">
            <dt>Cloud Provider</dt>
            <dd data-fact="provider">{instance ? providerLabel(provider) : '—'}</dd>
            <dt>Region</dt>
            <dd data-fact="region">{region || '—'}</dd>
          </dl>
          <Body>
            The private endpoint must be in the serverless instance's region: your {NETWORK[provider]} must be in {region || 'that region'}.
          </Body>
          <div className="row">
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" disabled={busy || !instance} onClick={reserve}>
              Next
            </Button>
          </div>
        </>
      )}

      {step === 1 && (
        <>
          <Banner variant={ready ? 'success' : failed ? 'danger' : 'info'} data-testid="service-progress">
            {ready
              ? `Atlas endpoint service ready in ${region}: ${serviceName}`
              : failed
                ? `Atlas could not reserve the endpoint service: ${endpoint.data?.errorMessage ?? 'failed'}`
                : `Atlas is creating ${RESOURCES[provider]} in ${region} (${statusText(endpoint.data?.status ?? 'RESERVATION_REQUESTED')}). This might take several minutes to complete.`}
          </Banner>
          {provider === 'AWS' ? (
            <AwsInterfaceEndpointFields
              idPrefix="sl-"
              vpcId={fields.vpcId}
              onVpcId={fields.setVpcId}
              subnetIds={fields.subnetIds}
              onSubnetIds={fields.setSubnetIds}
              ready={ready}
              command={createVpcEndpointCommand(region, serviceName, fields.vpcId.trim(), fields.subnetIds)}
            />
          ) : (
            <AzurePrivateEndpointStep idPrefix="sl-" serviceResourceId={serviceResourceId} serviceName={serviceName} ready={ready} fields={fields} />
          )}
          <div className="row">
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" disabled={!ready} onClick={() => setStep(2)}>
              Next
            </Button>
          </div>
        </>
      )}

      {step === 2 && (
        <>
          {provider === 'AWS' ? (
            <AwsEndpointFields idPrefix="sl-" endpointId={vpceId} onEndpointId={setVpceId} />
          ) : (
            <>
              <AzureEndpointFields idPrefix="sl-" resourceId={azureId} onResourceId={setAzureId} ipAddress={azureIp} onIpAddress={setAzureIp} />
              {serviceName && <CopyField label="Atlas Private Link Service">{serviceName}</CopyField>}
            </>
          )}
          <div className="row">
            <Button onClick={() => setStep(1)}>Back</Button>
            <Button variant="primary" disabled={busy || !complete} onClick={register}>
              Create
            </Button>
          </div>
        </>
      )}
    </WizardDialog>
  );
}

/** Why the wizard offers no instance: none on a cloud with serverless private endpoints that this deployment serves. */
function NoInstanceOffered({ instances, providers }: { instances: readonly ServerlessInstanceWire[]; providers: readonly CloudProvider[] }) {
  const served = SERVERLESS_ENDPOINT_PROVIDERS.filter((p) => providers.includes(p));
  const unserved = SERVERLESS_ENDPOINT_PROVIDERS.filter((p) => !providers.includes(p) && instances.some((i) => endpointProviderOf(i) === p));
  const onGcp = instances.some((i) => i.providerSettings.backingProviderName === 'GCP');
  return (
    <Banner variant="warning">
      This project has no serverless instance on {served.map(providerLabel).join(' or ')}. Create one first (Admin API or CLI).
      {unserved.map((p) => ` Private endpoints on ${providerLabel(p)} are not served by this privlink deployment: its ${providerLabel(p)} instances are not offered.`).join('')}
      {onGcp && " Serverless instances on Google Cloud don't support private endpoints (Private Service Connect): use a dedicated cluster."}
    </Banner>
  );
}
