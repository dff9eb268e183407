import { useQuery, useQueryClient } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import Button from '@leafygreen-ui/button';
import { Body } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { OrganizationWire, ProjectWire } from '../../src/api/atlas/wire/identity.wire.js';
import { call, problemText, v2 } from './api';
import { useSession } from './session';

/** The step's name in the wizard's list of steps. */
export const PAYMENT_STEP = 'Payment Information';

const orgKey = (orgId: string | undefined) => ['org', orgId];

/**
 * Whether a private endpoint wizard must first ask for payment information, as Atlas's does: the
 * Admin API refuses endpoint services, interface endpoints and serverless private endpoints with
 * 402 NO_PAYMENT_INFORMATION_FOUND while the project's organization has none on file.
 *
 * - `pending`: the organization is still being read (the wizard shows neither step yet);
 * - `prompt`: the wizard shows the payment step in place of its own; `continue()` leaves it;
 * - `listed`: the payment step is among the wizard's steps (the organization had none when the
 *   wizard opened), so the wizard's own steps are numbered after it.
 *
 * When the organization cannot be read (a key with a project role only), the wizard goes straight
 * to its own steps and the API's 402, if any, is shown as the wizard's error.
 */
export interface PaymentGate {
  readonly pending: boolean;
  readonly prompt: boolean;
  readonly listed: boolean;
  readonly org: OrganizationWire | undefined;
  /** The session is an Organization Owner of the project's organization: it may record payment information. */
  readonly orgOwner: boolean;
  readonly continue: () => void;
}

/** The payment gate of a wizard opened in project `groupId`. */
export function usePaymentGate(groupId: string): PaymentGate {
  const session = useSession().data;
  const project = useQuery({ queryKey: ['project', groupId], queryFn: () => call<ProjectWire>('GET', v2(`/groups/${groupId}`)) });
  const orgId = project.data?.orgId;
  const org = useQuery({ queryKey: orgKey(orgId), enabled: orgId !== undefined, queryFn: () => call<OrganizationWire>('GET', v2(`/orgs/${orgId}`)) });
  const [listed, setListed] = useState(false);
  const [passed, setPassed] = useState(false);
  const lacking = org.data !== undefined && !org.data.paymentInformationOnFile;
  if (lacking && !listed) setListed(true);
  const pending = !project.isError && (project.isPending || org.isPending);
  return {
    pending,
    prompt: !passed && (lacking || (listed && !org.isError)),
    listed,
    org: org.data,
    orgOwner: session?.roles.some((role) => role.orgId === orgId && role.roleName === 'ORG_OWNER') ?? false,
    continue: () => setPassed(true),
  };
}

/**
 * The payment step: an Organization Owner records that the organization has a payment method
 * (`PATCH /orgs/{orgId}` `{paymentInformationOnFile: true}`) and continues; anyone else is told to
 * ask an Organization Owner and may check again. Next stays disabled until the organization has it.
 */
export function PaymentStep({ gate, onCancel }: { gate: PaymentGate; onCancel: () => void }) {
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const org = gate.org;
  const onFile = org?.paymentInformationOnFile === true;

  const record = async () => {
    if (!org) return;
    setBusy(true);
    setError(undefined);
    try {
      const updated = await call<OrganizationWire>('PATCH', v2(`/orgs/${org.id}`), { paymentInformationOnFile: true });
      client.setQueryData(orgKey(org.id), updated);
      await client.invalidateQueries({ queryKey: ['orgs'] });
      gate.continue();
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Banner variant={onFile ? 'success' : 'warning'} data-testid="payment-prompt">
        {onFile
          ? `Organization ${org?.name ?? ''} has payment information on file.`
          : `Add payment information to your organization${org ? `, ${org.name},` : ''} before creating a private endpoint.`}
      </Banner>
      <Body>
        privlink has no billing: nothing is charged and no card details are taken. Adding payment information here only records that the organization has a payment method on file
        (the organization's paymentInformationOnFile field in the Admin API), which privlink requires, as Atlas does, before it creates private endpoints.
      </Body>
      {!onFile &&
        (gate.orgOwner ? (
          <Body>As an Organization Owner you can record it now; it applies to every project of the organization.</Body>
        ) : (
          <Banner variant="info">
            Only an Organization Owner can add payment information. Ask an Organization Owner of {org?.name ?? 'your organization'} to add it, then click Check Again.
          </Banner>
        ))}
      {error && <Banner variant="danger">{error}</Banner>}
      <div className="row">
        <Button onClick={onCancel}>Cancel</Button>
        {!onFile && gate.orgOwner && (
          <Button disabled={busy} onClick={record}>
            Add Payment Information
          </Button>
        )}
        {!onFile && !gate.orgOwner && org && (
          <Button disabled={busy} onClick={() => void client.invalidateQueries({ queryKey: orgKey(org.id) })}>
            Check Again
          </Button>
        )}
        <Button variant="primary" disabled={!onFile} onClick={gate.continue}>
          Next
        </Button>
      </div>
    </>
  );
}
