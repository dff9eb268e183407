import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { EndpointServiceWire } from '../../../src/api/atlas/wire/private-endpoints.wire.js';
import { regionsOf } from '../../../src/domain/regions.js';
import { call } from '../api';
import { usePaymentGate } from '../PaymentPrompt';
import { parseForwardingRules } from '../../../src/domain/cloud-commands.js';
import { CopyField } from '../CopyField';
import { AwsEndpointFields, AzureEndpointFields, GcpEndpointFields } from '../EndpointFields';
import { createServicePath, PROVIDERS, servicePath, servicesKey, statusText, useService, type Provider } from '../endpoints';
import { WizardDialog, useWizardAction } from '../WizardDialog';
import { AwsInterfaceStep, AzureInterfaceStep, GcpInterfaceStep, useInterfaceFields } from './InterfaceEndpointSteps';
import { RegionRefusal, RegionRules, useRegionRefusal } from './RegionRules';

const STEPS: Record<Provider, readonly string[]> = {
  AWS: ['Cloud Provider', 'Interface Endpoint', 'Finalize Endpoint Connection'],
  AZURE: ['Cloud Provider', 'Create Private Endpoint', 'Finalize Endpoint Connection'],
  GCP: ['Cloud Provider', 'Create Endpoints', 'Finalize Endpoint Connection'],
};

/** What Atlas creates in the background, per cloud (the progress banner's words). */
const RESOURCES: Record<Provider, string> = { AWS: 'VPC resources', AZURE: 'the private link service', GCP: 'service attachments' };

/** Where the customer's network must be, per cloud. */
const SAME_REGION: Record<Provider, string> = {
  AWS: 'You must select the same region in which your AWS VPC resides.',
  AZURE: 'You must select the same region in which your Azure VNet resides.',
  GCP: 'You must select the same region in which your Google Cloud VPC subnet resides.',
};

interface Props {
  readonly groupId: string;
  readonly services: readonly EndpointServiceWire[];
  /** The clouds this deployment serves (the session's `providers`): the only ones offered. */
  readonly providers: readonly Provider[];
  readonly onClose: () => void;
}

/** The service is far enough along for the customer's command: it names what to connect to. */
export function serviceReady(service: EndpointServiceWire | undefined): boolean {
  if (service?.status !== 'AVAILABLE') return false;
  if (service.cloudProvider === 'AWS') return service.endpointServiceName !== null;
  if (service.cloudProvider === 'AZURE') return service.privateLinkServiceResourceId !== null;
  return service.serviceAttachmentNames.length > 0;
}

/**
 * The Add Private Endpoint wizard for a dedicated cluster, in Atlas's steps: choose the cloud
 * provider (of those this deployment serves) and region, with Atlas's region rules explained and,
 * before Next, the API's refusal of a region it would refuse (Next creates the Atlas endpoint
 * service there, or reuses the project's service in that region); while Atlas creates it,
 * describe your network and copy the generated command (copying waits for the service): `aws ec2
 * create-vpc-endpoint`, `az network private-endpoint create`, or a gcloud script; then enter what
 * your cloud made and Create. While the organization has no payment information, the Payment
 * Information step comes first.
 */
export function AddPrivateEndpoint({ groupId, services, providers, onClose }: Props) {
  const client = useQueryClient();
  const [step, setStep] = useState(0);
  const [provider, setProvider] = useState<Provider>('AWS');
  const [region, setRegion] = useState('us-east-1');
  const atlasRegion = regionsOf(provider).find((r) => r.providerName === region)?.atlasName;
  const refusal = useRegionRefusal(groupId, services, provider, atlasRegion);
  const [serviceId, setServiceId] = useState<string>();
  const fields = useInterfaceFields();
  const [awsEndpointId, setAwsEndpointId] = useState('');
  const [azureId, setAzureId] = useState('');
  const [azureIp, setAzureIp] = useState('');
  const [groupName, setGroupName] = useState('');
  const [rulesText, setRulesText] = useState('');
  const { busy, error, run } = useWizardAction();
  const payment = usePaymentGate(groupId);
  const service = useService(groupId, provider, serviceId).data;
  const ready = serviceReady(service);

  const chooseProvider = (next: Provider) => {
    setProvider(next);
    setRegion(regionsOf(next)[0]!.providerName);
  };

  const createService = () =>
    run(async () => {
      const existing = services.find((s) => s.cloudProvider === provider && s.regionName === atlasRegion && s.status !== 'DELETING');
      const created =
        existing ??
        (await call<EndpointServiceWire>('POST', createServicePath(groupId), { providerName: provider, region, ...(provider === 'GCP' ? { portMappingEnabled: true } : {}) }));
      setServiceId(created.id);
      await client.invalidateQueries({ queryKey: servicesKey(groupId) });
      setStep(1);
    });

  const body = (): object => {
    if (provider === 'AWS') return { id: awsEndpointId.trim() };
    if (provider === 'AZURE') return { id: azureId.trim(), privateEndpointIPAddress: azureIp.trim() };
    return { endpointGroupName: groupName.trim(), gcpProjectId: fields.gcp.projectId.trim(), endpoints: parseForwardingRules(rulesText).rules };
  };
  const complete =
    provider === 'AWS'
      ? awsEndpointId.trim() !== ''
      : provider === 'AZURE'
        ? azureId.trim() !== '' && azureIp.trim() !== ''
        : groupName.trim() !== '' && fields.gcp.projectId.trim() !== '' && parseForwardingRules(rulesText).rules.length > 0;

  const createEndpoint = () =>
    run(async () => {
      await call('POST', `${servicePath(groupId, provider, serviceId!)}/endpoint`, body());
      await client.invalidateQueries({ queryKey: servicesKey(groupId) });
      onClose();
    });

  const toFinalize = () => {
    if (provider === 'GCP' && !groupName) setGroupName(fields.gcp.prefix.trim());
    setStep(2);
  };

  const failed = service?.status === 'FAILED';
  return (
    <WizardDialog titleId="add-pe-title" title="Create Private Endpoint" steps={STEPS[provider]} step={step} error={error} onClose={onClose} payment={payment}>
      {step === 0 && (
        <>
          <fieldset className="row" style={{ border: 'none', padding: 0 }}>
            <legend>
              <Body weight="medium">Cloud Provider</Body>
            </legend>
            {PROVIDERS.filter((p) => providers.includes(p.id)).map((p) => (
              <Button key={p.id} variant={provider === p.id ? 'primary' : 'default'} aria-pressed={provider === p.id} onClick={() => chooseProvider(p.id)}>
                {p.label}
              </Button>
            ))}
          </fieldset>
          <label className="native-select">
            Region
            <select value={region} onChange={(e) => setRegion(e.target.value)}>
              {regionsOf(provider).map((r) => (
                <option key={r.providerName} value={r.providerName}>
                  {r.providerName}
                </option>
              ))}
            </select>
          </label>
          <Body>{SAME_REGION[provider]}</Body>
          <RegionRules groupId={groupId} provider={provider} />
          <RegionRefusal refusal={refusal} />
          <div className="row">
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" disabled={busy || refusal !== undefined} onClick={createService}>
              Next
            </Button>
          </div>
        </>
      )}

      {step === 1 && (
        <>
          <Banner variant={ready ? 'success' : failed ? 'danger' : 'info'} data-testid="service-progress">
            {ready
              ? `Atlas endpoint service ready in ${region}${provider === 'AWS' && service?.cloudProvider === 'AWS' ? `: ${service.endpointServiceName}` : ''}`
              : failed
                ? `Atlas could not create the endpoint service: ${service.errorMessage ?? 'failed'}`
                : `Atlas is creating ${RESOURCES[provider]} in ${region} (${statusText(service?.status ?? 'INITIATING')}). This might take several minutes to complete.`}
          </Banner>
          {provider === 'AWS' && <AwsInterfaceStep region={region} service={service} ready={ready} fields={fields} />}
          {provider === 'AZURE' && <AzureInterfaceStep service={service} ready={ready} fields={fields} />}
          {provider === 'GCP' && <GcpInterfaceStep region={region} service={service} ready={ready} fields={fields} />}
          <div className="row">
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" disabled={!ready} onClick={toFinalize}>
              Next
            </Button>
          </div>
        </>
      )}

      {step === 2 && (
        <>
          {provider === 'AWS' && <AwsEndpointFields idPrefix="" endpointId={awsEndpointId} onEndpointId={setAwsEndpointId} />}
          {provider === 'AZURE' && <AzureEndpointFields idPrefix="" resourceId={azureId} onResourceId={setAzureId} ipAddress={azureIp} onIpAddress={setAzureIp} />}
          {provider === 'GCP' && (
            <GcpEndpointFields
              idPrefix=""
              groupName={groupName}
              onGroupName={setGroupName}
              projectId={fields.gcp.projectId}
              onProjectId={(projectId) => fields.setGcp({ ...fields.gcp, projectId })}
              rulesText={rulesText}
              onRulesText={setRulesText}
              expected={service?.cloudProvider === 'GCP' ? service.serviceAttachmentNames.length : 0}
            />
          )}
          {service?.cloudProvider === 'AWS' && service.endpointServiceName && <CopyField label="Atlas Endpoint Service">{service.endpointServiceName}</CopyField>}
          {service?.cloudProvider === 'AZURE' && service.privateLinkServiceName && <CopyField label="Atlas Private Link Service">{service.privateLinkServiceName}</CopyField>}
          <div className="row">
            <Button onClick={() => setStep(1)}>Back</Button>
            <Button variant="primary" disabled={busy || !complete} onClick={createEndpoint}>
              Create
            </Button>
          </div>
        </>
      )}
    </WizardDialog>
  );
}
