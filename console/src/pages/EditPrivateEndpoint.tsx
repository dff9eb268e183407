import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import Modal from '@leafygreen-ui/modal';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { AWSInterfaceEndpointWire, AzurePrivateEndpointWire, EndpointServiceWire } from '../../../src/api/atlas/wire/private-endpoints.wire.js';
import { AwsEndpointFields, AzureEndpointFields } from '../EndpointFields';
import { endpointKey, providerLabel, replaceEndpoint, servicesKey } from '../endpoints';
import { useWizardAction } from '../WizardDialog';

/**
 * The endpoints Edit is offered for. Not Google Cloud's: GCP accepts and rejects connections per
 * consumer project on the service attachments, so removing the old group rejects the project's
 * new forwarding rules too; a group is changed by Terminate and Add Private Endpoint.
 */
export type EditableEndpointWire = AWSInterfaceEndpointWire | AzurePrivateEndpointWire;

interface Props {
  readonly groupId: string;
  readonly service: EndpointServiceWire;
  readonly endpoint: EditableEndpointWire;
  readonly onClose: () => void;
}

/** The id the API knows the endpoint by. */
function idOf(endpoint: EditableEndpointWire): string {
  return endpoint.cloudProvider === 'AWS' ? endpoint.interfaceEndpointId : endpoint.privateEndpointResourceId;
}

/**
 * Edit on an AWS or Azure private endpoint row: the fields the endpoint was registered with,
 * filled in; Save registers another endpoint with the same Atlas endpoint service in place of the
 * old one (the API has no update; see `replaceEndpoint`). The service, and the clusters'
 * connection strings, stay.
 */
export function EditPrivateEndpoint({ groupId, service, endpoint, onClose }: Props) {
  const client = useQueryClient();
  const oldId = idOf(endpoint);
  const [awsId, setAwsId] = useState(endpoint.cloudProvider === 'AWS' ? endpoint.interfaceEndpointId : '');
  const [azureId, setAzureId] = useState(endpoint.cloudProvider === 'AZURE' ? endpoint.privateEndpointResourceId : '');
  const [azureIp, setAzureIp] = useState(endpoint.cloudProvider === 'AZURE' ? endpoint.privateEndpointIPAddress : '');
  const { busy, error, run } = useWizardAction();

  const newId = endpoint.cloudProvider === 'AWS' ? awsId.trim() : azureId.trim();
  const body = endpoint.cloudProvider === 'AWS' ? { id: newId } : { id: newId, privateEndpointIPAddress: azureIp.trim() };
  // Removing the old registration rejects its connection in the cloud for good, so the same
  // endpoint cannot be registered again: Save needs another endpoint.
  const sameEndpoint = newId === oldId;

  const save = () =>
    run(async () => {
      await replaceEndpoint(groupId, service.cloudProvider, service.id, oldId, body);
      // The old endpoint's status is read again at once: it is DELETING now, not the Available
      // its settled query last saw (which would otherwise show until its next slow refetch).
      await client.invalidateQueries({ queryKey: endpointKey(groupId, service.id, oldId) });
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
        {sameEndpoint && (
          <Body>
            Enter another {endpoint.cloudProvider === 'AWS' ? 'VPC endpoint' : 'private endpoint'}. A registered endpoint cannot be changed in place: removing its registration
            rejects its connection, so to correct {endpoint.cloudProvider === 'AWS' ? 'it' : 'its IP address'}, create a new endpoint in your{' '}
            {endpoint.cloudProvider === 'AWS' ? 'VPC' : 'VNet'} and enter it here.
          </Body>
        )}
        {endpoint.cloudProvider === 'AWS' && <AwsEndpointFields idPrefix="edit-" endpointId={awsId} onEndpointId={setAwsId} />}
        {endpoint.cloudProvider === 'AZURE' && <AzureEndpointFields idPrefix="edit-" resourceId={azureId} onResourceId={setAzureId} ipAddress={azureIp} onIpAddress={setAzureIp} />}
        <div className="row">
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" disabled={busy || sameEndpoint || !newId} onClick={save}>
            {busy ? 'Saving…' : 'Save'}
          </Button>
        </div>
      </div>
    </Modal>
  );
}
