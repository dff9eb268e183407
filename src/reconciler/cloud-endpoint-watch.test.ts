import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointChanges, type CloudEndpointState } from './cloud-endpoint-watch.js';

// What the cloud endpoint watch hands to the reconciler: every endpoint whose state changed since
// the last list, from a whole list or, when the feed says how the list was made, from the edit
// alone (a list of thousands of endpoints is then not walked for one change).
const ep = (endpointId: string, state: string, forwarding = state === 'available'): CloudEndpointState => ({ cloud: 'AWS', endpointId, state, forwarding });

test('the first list is a baseline; a whole list after it yields the changed, the new and the vanished', () => {
  const first = [ep('vpce-a', 'pendingAcceptance'), ep('vpce-b', 'available'), ep('vpce-c', 'available')];
  const baseline = endpointChanges(undefined, first);
  assert.deepEqual(baseline.changed, []);
  const second = [ep('vpce-a', 'available'), first[1]!, ep('vpce-d', 'pendingAcceptance')];
  const { changed } = endpointChanges(baseline.states, second);
  assert.deepEqual(
    changed.map((e) => `${e.endpointId} ${e.state}`),
    ['vpce-a available', 'vpce-d pendingAcceptance', 'vpce-c absent'],
  );
});

test('an edit of the list observed last is compared alone; an edit of another list is not trusted', () => {
  const first = [ep('vpce-a', 'pendingAcceptance'), ep('vpce-b', 'available')];
  const baseline = endpointChanges(undefined, first);
  const a = ep('vpce-a', 'available');
  const second = [a, first[1]!];
  // The edit names only vpce-a: vpce-b is not looked at, even were it (wrongly) different.
  const viaEdit = endpointChanges(baseline.states, second, { from: first, changed: [a] });
  assert.deepEqual(viaEdit.changed, [a]);
  assert.equal(viaEdit.states.byId.get('vpce-a'), a, 'the kept states follow the edit');
  assert.equal(viaEdit.states.list, second);

  // A later list made from a list this watch never saw: compared whole.
  const unseen = [a, ep('vpce-b', 'available')];
  const third = [a, ep('vpce-b', 'deleting', false)];
  const whole = endpointChanges(viaEdit.states, third, { from: unseen, changed: [] });
  assert.deepEqual(
    whole.changed.map((e) => `${e.endpointId} ${e.state}`),
    ['vpce-b deleting'],
  );
});

test('an edit whose entity did not change state yields nothing', () => {
  const first = [ep('vpce-a', 'available')];
  const baseline = endpointChanges(undefined, first);
  const again = ep('vpce-a', 'available');
  assert.deepEqual(endpointChanges(baseline.states, [again], { from: first, changed: [again] }).changed, []);
});

test('the list observed last, observed again, is no change and is not walked again', () => {
  const first = [ep('vpce-a', 'pendingAcceptance'), ep('vpce-b', 'available')];
  const baseline = endpointChanges(undefined, first);
  const a = ep('vpce-a', 'available');
  let walked = 0;
  const second = new Proxy([a, first[1]!], {
    get(target, key, receiver) {
      if (key === 'map' || key === 'forEach' || key === Symbol.iterator) walked++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const viaEdit = endpointChanges(baseline.states, second, { from: first, changed: [a] });
  walked = 0;
  // The next picture changed other collections only: the same list comes with the same edit note.
  const again = endpointChanges(viaEdit.states, second, { from: first, changed: [a] });
  assert.deepEqual(again.changed, []);
  assert.equal(again.states, viaEdit.states, 'the kept states stay as they were');
  assert.equal(walked, 0, 'the list is not walked');
});

test('an endpoint an edit removes is reported absent once', () => {
  const first = [ep('vpce-a', 'available'), ep('vpce-b', 'available')];
  const baseline = endpointChanges(undefined, first);
  const second = [first[1]!];
  const viaEdit = endpointChanges(baseline.states, second, { from: first, changed: [], removed: [first[0]!] });
  assert.deepEqual(
    viaEdit.changed.map((e) => `${e.endpointId} ${e.state} ${e.forwarding}`),
    ['vpce-a absent false'],
  );
  assert.equal(viaEdit.states.byId.has('vpce-a'), false, 'no longer kept');
  // The next whole list does not report it again.
  assert.deepEqual(endpointChanges(viaEdit.states, [first[1]!]).changed, []);
});
