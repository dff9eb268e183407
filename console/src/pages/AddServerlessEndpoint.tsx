import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import Modal from '@leafygreen-ui/modal';
import TextInput from '@leafygreen-ui/text-input';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { ServerlessInstanceWire, ServerlessTenantEndpointWire } from '../../../src/api/atlas/wire/serverless.wire.js';
import { findRegion } from '../../../src/domain/regions.js';
import { call, problemText } from '../api';
import { CopyField } from '../CopyField';
import { createVpcEndpointCommand, statusText } from '../endpoints';
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
 * endpoint ID and Create (which registers it with the endpoint).
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
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const instance = awsInstances.find((i) => i.name === instanceName);
  const region = instance ? (findRegion('AWS', instance.providerSettings.regionName)?.providerName ?? instance.providerSettings.regionName) : '';
  const endpoint = useTenantEndpoint(groupId, instanceName, endpointId);
  const serviceName = endpoint.data?.endpointServiceName ?? null;
  const ready = endpoint.data?.status === 'RESERVED' && serviceName !== null;

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

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
    <Modal
      open
      setOpen={(open) => {
        if (!open) onClose();
      }}
      size="large"
      aria-labelledby="add-serverless-pe-title"
    >
      <div className="stack">
        <H3 as="h2" id="add-serverless-pe-title">
          Create Private Endpoint for a Serverless Instance
        </H3>
        <ol className="steps" aria-label="Steps">
          {STEPS.map((name, i) => (
            <li key={name} aria-current={i === step ? 'step' : undefined}>
              {i + 1}. {name}
            </li>
          ))}
        </ol>
        {error && <Banner variant="danger">{error}</Banner>}

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
            <TextInput
              id="sl-vpc-id"
              label="Your VPC ID"
              description="Unique identifier of your AWS VPC (VPC dashboard)."
              placeholder="vpc-…"
              value={vpcId}
              onChange={(e) => setVpcId(e.target.value)}
            />
            <TextInput
              id="sl-subnet-ids"
              label="Your Subnet IDs"
              description="Subnets of that VPC, separated by spaces or commas (Subnet dashboard)."
              placeholder="subnet-…"
              value={subnetIds}
              onChange={(e) => setSubnetIds(e.target.value)}
            />
            <CopyField label="Run this command with the AWS CLI" disabled={!ready || !vpcId.trim() || !subnetIds.trim()}>
              {createVpcEndpointCommand(region, serviceName, vpcId.trim(), subnetIds)}
            </CopyField>
            {!ready && <Body>You can't copy the command until Atlas finishes creating VPC resources in the background.</Body>}
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
            <TextInput
              id="sl-vpc-endpoint-id"
              label="Your VPC Endpoint ID"
              description="The endpoint ID AWS gave your interface endpoint (VPC dashboard → Endpoints → Endpoint ID)."
              placeholder="vpce-…"
              value={vpceId}
              onChange={(e) => setVpceId(e.target.value)}
            />
            <div className="row">
              <Button onClick={() => setStep(1)}>Back</Button>
              <Button variant="primary" disabled={busy || !vpceId.trim()} onClick={register}>
                Create
              </Button>
            </div>
          </>
        )}
      </div>
    </Modal>
  );
}
