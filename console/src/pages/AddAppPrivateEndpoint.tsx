import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import TextField from '../TextField';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { call } from '../api';
import { allowNonVpcKey, allowNonVpcPath, appEndpointsKey, appEndpointsPath, awsRegionOf, useAppServiceInfos } from '../appservices';
import { createVpcEndpointCommand } from '../../../src/domain/cloud-commands.js';
import { AwsInterfaceEndpointFields, useWizardAction, WizardDialog } from '../WizardDialog';
import { RestrictSwitch } from './AppPrivateEndpoints';

interface Props {
  readonly groupId: string;
  readonly appId: string;
  /** The app's deployment region (`aws-us-east-1`): endpoints must be in it. */
  readonly providerRegion: string;
  /** No endpoint yet: the wizard offers the restrict-access toggle. */
  readonly first: boolean;
  readonly onClose: () => void;
}

/**
 * Add Private Endpoint for an App Services app, in App Services' steps: choose General or Sync and
 * the region; enter your VPC ID and subnet IDs and copy the generated `aws ec2 create-vpc-endpoint`
 * command (to that type's endpoint service); enter the VPC endpoint ID; for the app's first
 * endpoint, choose whether to restrict access to requests through private endpoints; Finish
 * Endpoint Creation registers the endpoint (then sets the toggle).
 */
export function AddAppPrivateEndpoint({ groupId, appId, providerRegion, first, onClose }: Props) {
  const client = useQueryClient();
  const steps = first ? ['Endpoint Type', 'Interface Endpoint', 'VPC Endpoint ID', 'Restrict Access'] : ['Endpoint Type', 'Interface Endpoint', 'VPC Endpoint ID'];
  const [step, setStep] = useState(0);
  const [type, setType] = useState<'general' | 'sync'>('general');
  const [region, setRegion] = useState(providerRegion);
  const [vpcId, setVpcId] = useState('');
  const [subnetIds, setSubnetIds] = useState('');
  const [vpceId, setVpceId] = useState('');
  const [comment, setComment] = useState('');
  const [restricted, setRestricted] = useState(true);
  const { busy, error, run } = useWizardAction();
  const infos = useAppServiceInfos(groupId, appId);
  const regions = [...new Set([providerRegion, ...(infos.data ?? []).map((s) => s.cloud_provider_region)])];
  const service = infos.data?.find((s) => s.cloud_provider_region === region && s.endpoint_type === type);
  const serviceName = service?.service_name ?? null;
  const awsRegion = awsRegionOf(region);

  const finish = () =>
    run(async () => {
      await call('POST', appEndpointsPath(groupId, appId), {
        cloud_provider_region: region,
        cloud_provider_endpoint_id: vpceId.trim(),
        endpoint_type: type,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      await client.invalidateQueries({ queryKey: appEndpointsKey(groupId, appId) });
      if (first) {
        await call('POST', allowNonVpcPath(groupId, appId), { allow_non_vpc_client_requests: !restricted });
        await client.invalidateQueries({ queryKey: allowNonVpcKey(groupId, appId) });
      }
      onClose();
    });

  const finishButton = (
    <Button variant="primary" disabled={busy || !vpceId.trim()} onClick={finish}>
      Finish Endpoint Creation
    </Button>
  );

  return (
    <WizardDialog titleId="add-app-pe-title" title="Add Private Endpoint" steps={steps} step={step} error={error} onClose={onClose}>
      {step === 0 && (
        <>
          <fieldset className="choice">
            <legend>Endpoint type</legend>
            <label>
              <input type="radio" name="app-pe-type" value="general" checked={type === 'general'} onChange={() => setType('general')} />
              General — client HTTP requests
            </label>
            <label>
              <input type="radio" name="app-pe-type" value="sync" checked={type === 'sync'} onChange={() => setType('sync')} />
              Sync — Sync WebSocket connections (every Sync endpoint must be paired with a General endpoint)
            </label>
          </fieldset>
          <label className="native-select">
            Region
            <select value={region} onChange={(e) => setRegion(e.target.value)}>
              {regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <Body>Private endpoints connect your AWS VPC in the app's deployment region, {awsRegionOf(providerRegion)}.</Body>
          <div className="row">
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" onClick={() => setStep(1)}>
              Next
            </Button>
          </div>
        </>
      )}

      {step === 1 && (
        <>
          <Banner variant={serviceName ? 'success' : 'info'}>
            {serviceName
              ? `${type === 'sync' ? 'Sync' : 'General'} endpoint service ready in ${awsRegion}: ${serviceName}`
              : `App Services is creating the ${type} endpoint service in ${awsRegion}. This might take a few moments.`}
          </Banner>
          <AwsInterfaceEndpointFields
            idPrefix="app-"
            vpcId={vpcId}
            onVpcId={setVpcId}
            subnetIds={subnetIds}
            onSubnetIds={setSubnetIds}
            ready={serviceName !== null}
            command={createVpcEndpointCommand(awsRegion, serviceName, vpcId.trim(), subnetIds)}
          />
          <div className="row">
            <Button onClick={() => setStep(0)}>Back</Button>
            <Button variant="primary" disabled={!serviceName} onClick={() => setStep(2)}>
              Next
            </Button>
          </div>
        </>
      )}

      {step === 2 && (
        <>
          <TextField
            id="app-vpc-endpoint-id"
            label="Your VPC Endpoint ID"
            description="The ID AWS gave your interface endpoint (it starts with vpce-): in the command's output, or VPC dashboard → Endpoints."
            placeholder="vpce-…"
            value={vpceId}
            onChange={(e) => setVpceId(e.target.value)}
          />
          <TextField
            id="app-endpoint-comment"
            label="Comment"
            optional
            description="Optional: what this endpoint is for."
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <div className="row">
            <Button onClick={() => setStep(1)}>Back</Button>
            {first ? (
              <Button variant="primary" disabled={!vpceId.trim()} onClick={() => setStep(3)}>
                Next
              </Button>
            ) : (
              finishButton
            )}
          </div>
        </>
      )}

      {step === 3 && (
        <>
          <Body>
            By default, App Services blocks all requests coming from outside your PrivateLink connection. This setting applies to this endpoint and all additional endpoints you
            create.
          </Body>
          <RestrictSwitch id="app-pe-restrict" restricted={restricted} onChange={setRestricted} />
          <div className="row">
            <Button onClick={() => setStep(2)}>Back</Button>
            {finishButton}
          </div>
        </>
      )}
    </WizardDialog>
  );
}
