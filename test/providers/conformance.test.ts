import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ObservedEndpointService } from '../../src/domain/endpoint-service.js';
import { newObjectId } from '../../src/domain/object-id.js';
import { ProviderError, type EndpointServiceSpec, type ListenerSpec, type ProviderRef } from '../../src/providers/cloud-provider.js';
import { TARGETS, type ConformanceTarget } from './conformance-targets.js';

/**
 * The provider conformance suite: every adapter, driven against its cloud's emulator, must pass
 * the same expectations (create, observe, listener changes, drift repair, accept, reject, delete,
 * a crash between a call and the commit of its result, throttling and 5xx).
 */
for (const { provider, start } of TARGETS) {
  describe(`provider conformance: ${provider}`, () => {
    let t: ConformanceTarget;
    const spec = (id: string, listeners: ListenerSpec[] = []): EndpointServiceSpec => ({ id, projectId: newObjectId(), region: t.region, listeners, layout: 'portMapped' });
    const listener = (port: number, targetPort: number): ListenerSpec => ({
      port,
      targets: [{ host: '127.0.0.1', port: targetPort, outsideProviderNetwork: true }],
      proxyProtocol: true,
    });

    /** Creates the service and observes until ready; returns the ref and the last observation. */
    async function ready(s: EndpointServiceSpec): Promise<{ ref: ProviderRef; observed: Extract<ObservedEndpointService, { state: 'ready' }> }> {
      let ref = (await t.adapter.createEndpointService(s, {})).ref;
      for (let pass = 0; pass < 50; pass++) {
        const seen = await t.adapter.observeEndpointService(s, ref);
        ref = seen.ref;
        if (seen.observed.state === 'ready') return { ref, observed: seen.observed };
        assert.ok(['provisioning', 'absent'].includes(seen.observed.state), `observed ${JSON.stringify(seen.observed)}`);
        ref = (await t.adapter.createEndpointService(s, ref)).ref;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.fail('the service never became ready');
    }

    before(async () => {
      t = await start();
    });
    after(async () => t?.close());

    test('a service never created observes absent', async () => {
      const seen = await t.adapter.observeEndpointService(spec(newObjectId()), {});
      assert.deepEqual(seen.observed, { state: 'absent' });
    });

    test('create, then observe: ready with a service name, listeners in sync when none are wanted', async () => {
      const s = spec(newObjectId());
      const { observed } = await ready(s);
      assert.ok(observed.serviceName.length > 0);
      if (t.zonal) assert.ok(observed.availabilityZones.length > 0);
      assert.equal(observed.listenersInSync, true);
    });

    test('what a create says it saw of the service is what an observe sees right after it', async () => {
      for (const listeners of [[], [listener(1030, 4030), listener(1031, 4031)]]) {
        const s = spec(newObjectId(), listeners);
        let created = await t.adapter.createEndpointService(s, {});
        for (let pass = 0; pass < 50; pass++) {
          const observed = await t.adapter.observeEndpointService(s, created.ref);
          if (created.seen) assert.deepEqual(created.seen, observed, `pass ${pass}`);
          if (observed.observed.state === 'ready') break;
          created = await t.adapter.createEndpointService(s, observed.ref);
        }
        if (provider === 'AZURE') assert.ok(created.seen, 'Azure answers the service it made: its load balancer and private link service as their operations ended');
      }
    });

    test('listener changes: out of sync until synced; added, re-targeted and removed ports converge', async () => {
      const id = newObjectId();
      let { ref } = await ready(spec(id));
      for (const wanted of [[listener(1024, 4000), listener(1025, 4001)], [listener(1024, 4100), listener(1025, 4001), listener(1026, 4002)], [listener(1026, 4002)]]) {
        const s = spec(id, wanted);
        const before = await t.adapter.observeEndpointService(s, ref);
        assert.equal(before.observed.state === 'ready' && before.observed.listenersInSync, false, `out of sync before: ${wanted.map((l) => l.port)}`);
        await t.adapter.syncListeners(s, before.ref);
        const after = await t.adapter.observeEndpointService(s, before.ref);
        assert.equal(after.observed.state === 'ready' && after.observed.listenersInSync, true, `in sync after: ${wanted.map((l) => l.port)}`);
        ref = after.ref;
      }
    });

    test('drift: a listener deleted in the cloud reads out of sync and is repaired', async () => {
      const id = newObjectId();
      const s = spec(id, [listener(1024, 4000), listener(1025, 4001)]);
      let { ref } = await ready(s);
      await t.adapter.syncListeners(s, ref);
      await t.driftRemoveListener(id, 1025);
      const drifted = await t.adapter.observeEndpointService(s, ref);
      assert.equal(drifted.observed.state === 'ready' && drifted.observed.listenersInSync, false);
      await t.adapter.syncListeners(s, drifted.ref);
      ref = (await t.adapter.observeEndpointService(s, drifted.ref)).ref;
      const repaired = await t.adapter.observeEndpointService(s, ref);
      assert.equal(repaired.observed.state === 'ready' && repaired.observed.listenersInSync, true);
    });

    test('accept and reject connections; repeating either is not an error', async () => {
      const s = spec(newObjectId());
      const { ref, observed } = await ready(s);
      const acceptedId = await t.customerEndpoint(observed.serviceName);
      const refusedId = await t.customerEndpoint(observed.serviceName);
      const accepted = t.registration(acceptedId);
      const refused = t.registration(refusedId);
      assert.equal((await t.adapter.observeConnection(s, ref, accepted)).state, 'pendingAcceptance');
      await t.adapter.acceptConnection(s, ref, accepted);
      await t.adapter.acceptConnection(s, ref, accepted);
      assert.ok(['pending', 'available'].includes((await t.adapter.observeConnection(s, ref, accepted)).state));
      await t.adapter.rejectConnection(s, ref, refused);
      await t.adapter.rejectConnection(s, ref, refused);
      assert.equal((await t.adapter.observeConnection(s, ref, refused)).state, 'rejected');
      assert.equal((await t.adapter.observeConnection(s, ref, t.registration(t.unknownEndpointId))).state, 'absent');
      await t.deleteCustomerEndpoint(acceptedId);
      await t.deleteCustomerEndpoint(refusedId);
    });

    test('a crash between create and the commit of its result makes nothing twice', async () => {
      const id = newObjectId();
      const s = spec(id);
      await t.adapter.createEndpointService(s, {}); // its result is "lost"
      const seen = await t.adapter.observeEndpointService(s, {});
      assert.notEqual(seen.observed.state, 'absent', 'what the lost create made is found again');
      await t.adapter.createEndpointService(s, {}); // a create repeated blindly adopts, too
      await ready(s);
      assert.deepEqual(await t.countResources(id), { loadBalancers: 1, services: 1 });
    });

    test('throttling and 5xx surface as retryable provider errors', async () => {
      const s = spec(newObjectId());
      const { ref } = await ready(s);
      await t.failNext(t.firstObserveOperation, 'throttle');
      const throttled = await t.adapter.observeEndpointService(s, ref).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(throttled instanceof ProviderError && throttled.kind === 'throttled' && throttled.retryable, String(throttled));
      await t.failNext(t.firstObserveOperation, '5xx');
      const failed = await t.adapter.observeEndpointService(s, ref).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(failed instanceof ProviderError && failed.kind === 'transient' && failed.retryable, String(failed));
      assert.equal((await t.adapter.observeEndpointService(s, ref)).observed.state, 'ready', 'fine again after the fault');
    });

    test('delete: everything goes, observe confirms absence, a repeated delete is fine', async () => {
      const id = newObjectId();
      const s = spec(id, [listener(1024, 4000)]);
      let { ref } = await ready(s);
      await t.adapter.syncListeners(s, ref);
      for (let pass = 0; pass < 50; pass++) {
        await t.adapter.deleteEndpointService(s, ref);
        const seen = await t.adapter.observeEndpointService(s, ref);
        ref = seen.ref;
        if (seen.observed.state === 'absent') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual((await t.adapter.observeEndpointService(s, ref)).observed, { state: 'absent' });
      await t.adapter.deleteEndpointService(s, ref);
      assert.deepEqual(await t.countResources(id), { loadBalancers: 0, services: 0 });
    });
  });
}
