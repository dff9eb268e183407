import Banner from '@leafygreen-ui/banner';
import Modal from '@leafygreen-ui/modal';
import TextField from './TextField';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useState, type ReactNode } from 'react';
import { problemText } from './api';
import { CopyField } from './CopyField';
import { PAYMENT_STEP, PaymentStep, type PaymentGate } from './PaymentPrompt';

/**
 * A step's action: `run` clears the last error, marks the wizard busy while the action runs, and
 * shows the API's error (as the Admin API words it) when it throws.
 */
export function useWizardAction(): { busy: boolean; error: string | undefined; run: (action: () => Promise<void>) => Promise<void> } {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

interface DialogProps {
  /** The heading's id: the dialog is labelled by it. */
  readonly titleId: string;
  readonly title: string;
  /** The wizard's steps, shown numbered with the current one marked (`aria-current="step"`). */
  readonly steps: readonly string[];
  readonly step: number;
  readonly error: string | undefined;
  readonly onClose: () => void;
  /**
   * A wizard that creates private endpoints passes its payment gate (`usePaymentGate`): while the
   * organization has no payment information, the Payment Information step comes first and the
   * wizard's own steps wait.
   */
  readonly payment?: PaymentGate;
  readonly children: ReactNode;
}

/** A wizard in a modal dialog: title, numbered steps, the last action's error, then the current step. */
export function WizardDialog({ titleId, title, steps, step, error, onClose, payment, children }: DialogProps) {
  const listed = payment?.listed === true;
  const allSteps = listed ? [PAYMENT_STEP, ...steps] : steps;
  const current = payment?.prompt ? 0 : listed ? step + 1 : step;
  return (
    <Modal
      open
      setOpen={(open) => {
        if (!open) onClose();
      }}
      size="large"
      aria-labelledby={titleId}
    >
      <div className="stack">
        <H3 as="h2" id={titleId}>
          {title}
        </H3>
        <ol className="steps" aria-label="Steps">
          {allSteps.map((name, i) => (
            <li key={name} aria-current={i === current ? 'step' : undefined}>
              {i + 1}. {name}
            </li>
          ))}
        </ol>
        {error && <Banner variant="danger">{error}</Banner>}
        {payment?.pending ? <Body>Checking the organization's payment information…</Body> : payment?.prompt ? <PaymentStep gate={payment} onCancel={onClose} /> : children}
      </div>
    </Modal>
  );
}

interface InterfaceEndpointProps {
  /** Prefix of the fields' ids (two wizards may share a page). */
  readonly idPrefix: string;
  readonly vpcId: string;
  readonly onVpcId: (value: string) => void;
  readonly subnetIds: string;
  readonly onSubnetIds: (value: string) => void;
  /** The endpoint service is ready: the command can be copied. */
  readonly ready: boolean;
  /** The `aws ec2 create-vpc-endpoint` command for the values entered. */
  readonly command: string;
}

/** Atlas's Interface Endpoint step on AWS: your VPC ID and subnet IDs, and the AWS CLI command to copy once the service is ready. */
export function AwsInterfaceEndpointFields({ idPrefix, vpcId, onVpcId, subnetIds, onSubnetIds, ready, command }: InterfaceEndpointProps) {
  return (
    <>
      <TextField
        id={`${idPrefix}vpc-id`}
        label="Your VPC ID"
        description="Unique identifier of your AWS VPC (VPC dashboard)."
        placeholder="vpc-…"
        value={vpcId}
        onChange={(e) => onVpcId(e.target.value)}
      />
      <TextField
        id={`${idPrefix}subnet-ids`}
        label="Your Subnet IDs"
        description="Subnets of that VPC, separated by spaces or commas (Subnet dashboard)."
        placeholder="subnet-…"
        value={subnetIds}
        onChange={(e) => onSubnetIds(e.target.value)}
      />
      <CopyField label="Run this command with the AWS CLI" disabled={!ready || !vpcId.trim() || !subnetIds.trim()}>
        {command}
      </CopyField>
      {!ready && <Body>You can't copy the command until Atlas finishes creating VPC resources in the background.</Body>}
    </>
  );
}
