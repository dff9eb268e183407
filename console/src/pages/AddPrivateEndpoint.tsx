import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import TextInput from '@leafygreen-ui/text-input';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { AWSPrivateLinkConnectionWire } from '../../../src/api/atlas/wire/private-endpoints.wire.js';
import { regionsOf } from '../../../src/domain/regions.js';
import { call } from '../api';
import { AwsInterfaceEndpointFields, useWizardAction, WizardDialog } from '../WizardDialog';
import { CopyField } from '../CopyField';
import { createVpcEndpointCommand, createServicePath, servicePath, servicesKey, statusText, useService } from '../endpoints';

const STEPS = ['Cloud Provider', 'Interface Endpoint', 'Finalize Endpoint Connection'] as const;

interface Props {
  readonly groupId: string;
  readonly services: readonly AWSPrivateLinkConnectionWire[];
  readonly onClose: () => void;
}

/**
 * The Add Private Endpoint wizard for a dedicated cluster on AWS, in Atlas's steps: choose the
 * provider and region (Next creates the Atlas endpoint service there, or reuses the project's
 * service in that region); while Atlas creates the VPC resources, enter your VPC ID and subnet IDs
 * and copy the generated `aws ec2 create-vpc-endpoint` command (copying waits for the service);
 * then enter the VPC endpoint ID and Create.
 */
export function AddPrivateEndpoint({ groupId, services, onClose }: Props) {
  const client = useQueryClient();
  const [step, setStep] = useState(0);
  const [region, setRegion] = useState('us-east-1');
  const [serviceId, setServiceId] = useState<string>();
  const [vpcId, setVpcId] = useState('');
  const [subnetIds, setSubnetIds] = useState('');
  const [endpointId, setEndpointId] = useState('');
  const { busy, error, run } = useWizardAction();
  const service = useService(groupId, serviceId);
  const ready = service.data?.status === 'AVAILABLE' && service.data.endpointServiceName !== null;
  const command = createVpcEndpointCommand(region, service.data?.endpointServiceName ?? null, vpcId.trim(), subnetIds);

  const createService = () =>
    run(async () => {
      const existing = services.find((s) => s.regionName === region.toUpperCase().replace(/-/g, '_') && s.status !== 'DELETING');
      const created = existing ?? (await call<AWSPrivateLinkConnectionWire>('POST', createServicePath(groupId), { providerName: 'AWS', region }));
      setServiceId(created.id);
      await client.invalidateQueries({ queryKey: servicesKey(groupId) });
      setStep(1);
    });

  const createEndpoint = () =>
    run(async () => {
      await call('POST', `${servicePath(groupId, serviceId!)}/endpoint`, { id: endpointId.trim() });
      await client.invalidateQueries({ queryKey: servicesKey(groupId) });
      onClose();
    });

  return (
    <WizardDialog titleId="add-pe-title" title="Create Private Endpoint" steps={STEPS} step={step} error={error} onClose={onClose}>
      {step === 0 && (
        <>
          <fieldset className="row" style={{ border: 'none', padding: 0 }}>
            <legend>
              <Body weight="medium">Cloud Provider</Body>
            </legend>
            <Button variant="primary" aria-pressed="true">
              AWS
            </Button>
          </fieldset>
          <label className="native-select">
            Region
            <select value={region} onChange={(e) => setRegion(e.target.value)}>
              {regionsOf('AWS').map((r) => (
                <option key={r.providerName} value={r.providerName}>
                  {r.providerName}
                </option>
              ))}
            </select>
          </label>
          <Body>You must select the same region in which your AWS VPC resides.</Body>
          <div className="row">
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" disabled={busy} onClick={createService}>
              Next
            </Button>
          </div>
        </>
      )}

      {step === 1 && (
        <>
          <Banner variant={ready ? 'success' : service.data?.status === 'FAILED' ? 'danger' : 'info'} data-testid="service-progress">
            {ready
              ? `Atlas endpoint service ready in ${region}: ${service.data!.endpointServiceName}`
              : service.data?.status === 'FAILED'
                ? `Atlas could not create the endpoint service: ${service.data.errorMessage ?? 'failed'}`
                : `Atlas is creating VPC resources in ${region} (${statusText(service.data?.status ?? 'INITIATING')}). This might take several minutes to complete.`}
          </Banner>
          <AwsInterfaceEndpointFields idPrefix="" vpcId={vpcId} onVpcId={setVpcId} subnetIds={subnetIds} onSubnetIds={setSubnetIds} ready={ready} command={command} />
          <Banner variant="warning">
            If AWS answers "The VPC endpoint service … does not support the availability zone of the subnet", Atlas has deployed VPC resources into different availability zones
            than your subnets. Describe the service (aws ec2 describe-vpc-endpoint-services --service-names {service.data?.endpointServiceName ?? '<service name>'}), deploy a
            subnet into one of the availability zones it supports, replace the Subnet IDs above with it, and copy and run the command again.
          </Banner>
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
            id="vpc-endpoint-id"
            label="Your VPC Endpoint ID"
            description="The endpoint ID AWS gave your interface endpoint (VPC dashboard → Endpoints → Endpoint ID), vpce- and 17 characters."
            placeholder="vpce-…"
            value={endpointId}
            onChange={(e) => setEndpointId(e.target.value)}
          />
          {ready && <CopyField label="Atlas Endpoint Service">{service.data!.endpointServiceName!}</CopyField>}
          <div className="row">
            <Button onClick={() => setStep(1)}>Back</Button>
            <Button variant="primary" disabled={busy || !endpointId.trim()} onClick={createEndpoint}>
              Create
            </Button>
          </div>
        </>
      )}
    </WizardDialog>
  );
}
