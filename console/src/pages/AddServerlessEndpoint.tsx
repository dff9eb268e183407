import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { ServerlessInstanceWire, ServerlessTenantEndpointWire } from '../../../src/api/atlas/wire/serverless.wire.js';
import { findRegion } from '../../../src/domain/regions.js';
import { call } from '../api';
import { usePaymentGate } from '../PaymentPrompt';
import { AwsEndpointFields } from '../EndpointFields';
import { AwsInterfaceEndpointFields, useWizardAction, WizardDialog } from '../WizardDialog';
import { createVpcEndpointCommand } from '../../../src/domain/cloud-commands.js';
import { statusText } from '../endpoints';
import { tenantEndpointPath, tenantEndpointsKey, tenantEndpointsPath, useTenantEndpoint } from '../serverless';

const STEPS = ['Serverless Instance', 'Interface Endpoint', 'Finalize Endpoint Connection'] as const;

interface Props {
  readonly groupId: string;
  readonly instances: readonly ServerlessInstanceWire[];
  readonly onClose: () => void;
}

/**
 * Add Private Endpoint for a serverless instance on AWS, in Atlas's steps: choose the instance
 * (its provider and region are filled in; Next asks Atlas for the endpoint, which reserves an
 * endpoint service); while it is reserved, enter your VPC ID and subnet IDs and copy the generated
 * `aws ec2 create-vpc-endpoint` command (copying waits for the service name); then enter the VPC
 * endpoint ID and Create (which registers it with the endpoint). While the organization has no
 * payment information, the Payment Information step comes first.
 */
export function AddServerlessEndpoint({ groupId, instances, onClose }: Props) {
  const client = useQueryClient();
  const awsInstances = instances.filter((i) => i.providerSettings.backingProviderName === 'AWS');
  const [step, setStep] = useState(0);
  const [instanceName, setInstanceName] = useState(awsInstances[0]?.name ?? '');
  const [endpointId, setEndpointId] = useState<string>();
  const [vpcId, setVpcId] = useState('');
  const [subnetIds, setSubnetIds] = useState('');
  const [vpceId, setVpceId] = useState('');
  const { busy, error, run } = useWizardAction();
  const payment = usePaymentGate(groupId);
  const instance = awsInstances.find((i) => i.name === instanceName);
  const region = instance ? (findRegion('AWS', instance.providerSettings.regionName)?.providerName ?? instance.providerSettings.regionName) : '';
  const endpoint = useTenantEndpoint(groupId, instanceName, endpointId);
  const serviceName = endpoint.data?.endpointServiceName ?? null;
  const ready = endpoint.data?.status === 'RESERVED' && serviceName !== null;

  const reserve = () =>
    run(async () => {
      const created = await call<ServerlessTenantEndpointWire>('POST', tenantEndpointsPath(groupId, instanceName), {});
      setEndpointId(created._id);
      await client.invalidateQueries({ queryKey: tenantEndpointsKey(groupId) });
      setStep(1);
    });

  const register = () =>
    run(async () => {
      await call('PATCH', tenantEndpointPath(groupId, instanceName, endpointId!), { providerName: 'AWS', cloudProviderEndpointId: vpceId.trim() });
      await client.invalidateQueries({ queryKey: tenantEndpointsKey(groupId) });
      onClose();
    });

  return (
    <WizardDialog
      titleId="add-serverless-pe-title"
      title="Create Private Endpoint for a Serverless Instance"
      steps={STEPS}
      step={step}
      error={error}
      onClose={onClose}
      payment={payment}
    >
      {step === 0 && (
        <>
          {awsInstances.length === 0 && <Banner variant="warning">This project has no serverless instance on AWS. Create one first (Admin API or CLI).</Banner>}
          <label className="native-select">
            Serverless Instance
            <select value={instanceName} onChange={(e) => setInstanceName(e.target.value)}>
              {awsInstances.map((i) => (
                <option key={i.id} value={i.name}>
                  {i.name}
                </option>
              ))}
            </select>
          </label>
          <dl className="facts">
            <dt>Cloud Provider</dt>
            <dd data-fact="provider">{instance ? instance.providerSettings.backingProviderName : '—'}</dd>
            <dt>Region</dt>
            <dd data-fact="region">{region || '—'}</dd>
          </dl>
          <Body>The private endpoint must be in the serverless instance's region: your AWS VPC must be in {region || 'that region'}.</Body>
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
          <Banner variant={ready ? 'success' : endpoint.data?.status === 'FAILED' ? 'danger' : 'info'}>
            {ready
              ? `Atlas endpoint service ready in ${region}: ${serviceName}`
              : endpoint.data?.status === 'FAILED'
                ? `Atlas could not reserve the endpoint service: ${endpoint.data.errorMessage ?? 'failed'}`
                : `Atlas is creating VPC resources in ${region} (${statusText(endpoint.data?.status ?? 'RESERVATION_REQUESTED')}). This might take several minutes to complete.`}
          </Banner>
          <AwsInterfaceEndpointFields
            idPrefix="sl-"
            vpcId={vpcId}
            onVpcId={setVpcId}
            subnetIds={subnetIds}
            onSubnetIds={setSubnetIds}
            ready={ready}
            command={createVpcEndpointCommand(region, serviceName, vpcId.trim(), subnetIds)}
          />
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
          <AwsEndpointFields idPrefix="sl-" endpointId={vpceId} onEndpointId={setVpceId} />
          <div className="row">
            <Button onClick={() => setStep(1)}>Back</Button>
            <Button variant="primary" disabled={busy || !vpceId.trim()} onClick={register}>
              Create
            </Button>
          </div>
        </>
      )}
    </WizardDialog>
  );
}
