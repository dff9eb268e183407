import { useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import Modal from '@leafygreen-ui/modal';
import TextField from '../TextField';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { regionsOf, type CloudProvider } from '../../../src/domain/regions.js';
import { call, problemText, v2 } from '../api';

/** Dedicated tiers offered, as Atlas's cluster builder lists them (M10 and up). */
const DEDICATED_TIERS = ['M10', 'M20', 'M30', 'M40', 'M50', 'M60', 'M80', 'M140', 'M200', 'M300'] as const;
/** Shared tiers: offered as Atlas offers them, but private endpoints never reach them. */
const SHARED_TIERS = ['M0', 'M2', 'M5', 'FLEX'] as const;
const NODE_COUNTS = [3, 5, 7] as const;
const PROVIDERS: ReadonlyArray<{ readonly value: CloudProvider; readonly label: string }> = [
  { value: 'AWS', label: 'AWS' },
  { value: 'AZURE', label: 'Azure' },
  { value: 'GCP', label: 'Google Cloud' },
];

export const clustersKey = (groupId: string) => ['clusters', groupId];
export const clustersApiPath = (groupId: string) => v2(`/groups/${groupId}/clusters`);

/**
 * The `POST …/clusters` body for a single-region replica set. Dedicated tiers name the cloud
 * provider; M0/M2/M5 are `TENANT` on a backing provider; Flex is sent as `FLEX`, which the
 * clusters API refuses (its error is shown as is).
 */
export function clusterBody(name: string, provider: CloudProvider, regionName: string, tier: string, nodeCount: number): unknown {
  const shared = (SHARED_TIERS as readonly string[]).includes(tier);
  const regionConfig = shared
    ? { providerName: tier === 'FLEX' ? 'FLEX' : 'TENANT', backingProviderName: provider, regionName, priority: 7, electableSpecs: { instanceSize: tier } }
    : { providerName: provider, regionName, priority: 7, electableSpecs: { instanceSize: tier, nodeCount } };
  return { name, clusterType: 'REPLICASET', replicationSpecs: [{ regionConfigs: [regionConfig] }] };
}

/**
 * Atlas's "Deploy your cluster" for one region: name, cloud provider, region, tier and (dedicated
 * tiers) the number of electable nodes. The API validates; its `detail` is shown as is.
 */
export function CreateCluster({ groupId, onClose }: { groupId: string; onClose: () => void }) {
  const client = useQueryClient();
  const [name, setName] = useState('Cluster0');
  const [provider, setProvider] = useState<CloudProvider>('AWS');
  const [regionName, setRegionName] = useState(regionsOf('AWS')[0]!.atlasName);
  const [tier, setTier] = useState('M10');
  const [nodeCount, setNodeCount] = useState(3);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const shared = (SHARED_TIERS as readonly string[]).includes(tier);
  const chooseProvider = (next: CloudProvider) => {
    setProvider(next);
    setRegionName(regionsOf(next)[0]!.atlasName);
  };
  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await call('POST', clustersApiPath(groupId), clusterBody(name, provider, regionName, tier, nodeCount));
      await client.invalidateQueries({ queryKey: clustersKey(groupId) });
      onClose();
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      setOpen={(open) => {
        if (!open) onClose();
      }}
      aria-labelledby="create-cluster-title"
    >
      <form
        className="stack create-cluster"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <H3 as="h2" id="create-cluster-title">
          Deploy your cluster
        </H3>
        {error && <Banner variant="danger">{error}</Banner>}
        <TextField
          id="cluster-name"
          label="Cluster Name"
          description="Letters, digits and hyphens; it cannot be changed later."
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <fieldset className="row choices">
          <legend>
            <Body weight="medium">Provider</Body>
          </legend>
          {PROVIDERS.map((p) => (
            <label key={p.value}>
              <input type="radio" name="cluster-provider" checked={provider === p.value} onChange={() => chooseProvider(p.value)} /> {p.label}
            </label>
          ))}
        </fieldset>
        <label className="native-select">
          Region
          <select value={regionName} onChange={(e) => setRegionName(e.target.value)}>
            {regionsOf(provider).map((r) => (
              <option key={r.atlasName} value={r.atlasName}>
                {r.providerName} ({r.atlasName})
              </option>
            ))}
          </select>
        </label>
        <label className="native-select">
          Cluster Tier
          <select value={tier} onChange={(e) => setTier(e.target.value)}>
            <optgroup label="Dedicated">
              {DEDICATED_TIERS.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </optgroup>
            <optgroup label="Shared (no private endpoints)">
              {SHARED_TIERS.map((t) => (
                <option key={t} value={t}>
                  {t === 'FLEX' ? 'Flex' : t === 'M0' ? 'M0 (Free)' : t}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        {shared && (
          <Banner variant="warning">
            Private endpoints are unavailable on M0, M2, M5 and Flex clusters: clients could not reach this cluster through a private endpoint. Choose M10 or higher to connect
            through one.
          </Banner>
        )}
        <label className="native-select">
          Nodes
          <select value={shared ? 3 : nodeCount} disabled={shared} onChange={(e) => setNodeCount(Number(e.target.value))}>
            {NODE_COUNTS.map((n) => (
              <option key={n} value={n}>
                {n} nodes
              </option>
            ))}
          </select>
        </label>
        <div className="row">
          <Button type="button" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={busy}>
            Create Deployment
          </Button>
        </div>
      </form>
    </Modal>
  );
}
