import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import Modal from '@leafygreen-ui/modal';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { EndpointServiceWire, InterfaceEndpointWire } from '../../../src/api/atlas/wire/private-endpoints.wire.js';
import { forwardingRulesText, parseForwardingRules } from '../cloud-commands';
import { AwsEndpointFields, AzureEndpointFields, GcpEndpointFields } from '../EndpointFields';
import { providerLabel, replaceEndpoint, servicesKey } from '../endpoints';
import { useWizardAction } from '../WizardDialog';

interface Props {
  readonly groupId: string;
  readonly service: EndpointServiceWire;
  readonly endpoint: InterfaceEndpointWire;
  readonly onClose: () => void;
}

/** The id the API knows the endpoint by. */
function idOf(endpoint: InterfaceEndpointWire): string {
  if (endpoint.cloudProvider === 'AWS') return endpoint.interfaceEndpointId;
  if (endpoint.cloudProvider === 'AZURE') return endpoint.privateEndpointResourceId;
  return endpoint.endpointGroupName;
}

/**
 * Edit on a private endpoint row: the fields the endpoint was registered with, filled in; Save
 * registers the changed endpoint with the same Atlas endpoint service in place of the old one (the
 * API has no update; see `replaceEndpoint`). The service, and the clusters' connection strings,
 * stay.
 */
export function EditPrivateEndpoint({ groupId, service, endpoint, onClose }: Props) {
  const client = useQueryClient();
  const oldId = idOf(endpoint);
  const [awsId, setAwsId] = useState(endpoint.cloudProvider === 'AWS' ? endpoint.interfaceEndpointId : '');
  const [azureId, setAzureId] = useState(endpoint.cloudProvider === 'AZURE' ? endpoint.privateEndpointResourceId : '');
  const [azureIp, setAzureIp] = useState(endpoint.cloudProvider === 'AZURE' ? endpoint.privateEndpointIPAddress : '');
  const [groupName, setGroupName] = useState(endpoint.cloudProvider === 'GCP' ? endpoint.endpointGroupName : '');
  const [projectId, setProjectId] = useState(endpoint.cloudProvider === 'GCP' ? endpoint.gcpProjectId : '');
  const [rulesText, setRulesText] = useState(endpoint.cloudProvider === 'GCP' ? forwardingRulesText(endpoint.endpoints) : '');
  const { busy, error, run } = useWizardAction();

  const next = (): { id: string; body: object } => {
    if (endpoint.cloudProvider === 'AWS') return { id: awsId.trim(), body: { id: awsId.trim() } };
    if (endpoint.cloudProvider === 'AZURE') return { id: azureId.trim(), body: { id: azureId.trim(), privateEndpointIPAddress: azureIp.trim() } };
    return { id: groupName.trim(), body: { endpointGroupName: groupName.trim(), gcpProjectId: projectId.trim(), endpoints: parseForwardingRules(rulesText).rules } };
  };
  const unchanged =
    endpoint.cloudProvider === 'AWS'
      ? awsId.trim() === oldId
      : endpoint.cloudProvider === 'AZURE'
        ? azureId.trim() === oldId && azureIp.trim() === endpoint.privateEndpointIPAddress
        : groupName.trim() === oldId &&
          projectId.trim() === endpoint.gcpProjectId &&
          JSON.stringify(parseForwardingRules(rulesText).rules) === JSON.stringify(endpoint.endpoints.map(({ endpointName, ipAddress }) => ({ endpointName, ipAddress })));

  const save = () =>
    run(async () => {
      const { id, body } = next();
      await replaceEndpoint(groupId, service.cloudProvider, service.id, oldId, id, body);
      await client.invalidateQueries({ queryKey: servicesKey(groupId) });
      onClose();
    });

  return (
    <Modal
      open
      setOpen={(open) => {
        if (!open) onClose();
      }}
      size="large"
      aria-labelledby="edit-pe-title"
    >
      <div className="stack">
        <H3 as="h2" id="edit-pe-title">
          Edit Private Endpoint
        </H3>
        <Body>
          {providerLabel(service.cloudProvider)} endpoint service in {service.regionName}. Saving registers the endpoint below in place of {oldId}; Atlas connects it as it did when
          you created it.
        </Body>
        {error && <Banner variant="danger">{error}</Banner>}
        {endpoint.cloudProvider === 'AWS' && <AwsEndpointFields idPrefix="edit-" endpointId={awsId} onEndpointId={setAwsId} />}
        {endpoint.cloudProvider === 'AZURE' && <AzureEndpointFields idPrefix="edit-" resourceId={azureId} onResourceId={setAzureId} ipAddress={azureIp} onIpAddress={setAzureIp} />}
        {endpoint.cloudProvider === 'GCP' && (
          <GcpEndpointFields
            idPrefix="edit-"
            groupName={groupName}
            onGroupName={setGroupName}
            projectId={projectId}
            onProjectId={setProjectId}
            rulesText={rulesText}
            onRulesText={setRulesText}
            expected={service.cloudProvider === 'GCP' ? service.serviceAttachmentNames.length : 0}
          />
        )}
        <div className="row">
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" disabled={busy || unchanged} onClick={save}>
            {busy ? 'Saving…' : 'Save'}
          </Button>
        </div>
      </div>
    </Modal>
  );
}
