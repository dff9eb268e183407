import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import ConfirmationModal from '@leafygreen-ui/confirmation-modal';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { call, problemText } from '../api';
import { clustersKey, clustersApiPath } from './CreateCluster';

/** Terminate → Confirm for one cluster (`DELETE …/clusters/{name}`); it goes DELETING, then leaves the list. The API's refusal is shown as is. */
export function TerminateCluster({ groupId, clusterName, onClose }: { groupId: string; clusterName: string; onClose: () => void }) {
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const confirm = async () => {
    try {
      await call('DELETE', `${clustersApiPath(groupId)}/${encodeURIComponent(clusterName)}`);
      await client.invalidateQueries({ queryKey: clustersKey(groupId) });
      onClose();
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <ConfirmationModal open title={`Terminate ${clusterName}?`} buttonText="Confirm" variant="danger" onConfirm={confirm} onCancel={onClose}>
      <Body>The cluster, its data and its private endpoint connection strings are removed. Private endpoints of its region stay, for other clusters.</Body>
      {error && <Banner variant="danger">{error}</Banner>}
    </ConfirmationModal>
  );
}
