import type { StoredFault } from '../common/faults.js';
import { AwsQueryError } from './aws-query-error.js';

/**
 * The error a fault answers with instead of running the action, per protocol: throttling is
 * EC2's HTTP 503 RequestLimitExceeded and ELBv2's HTTP 400 Throttling. Undefined for `timeout`
 * (the action runs; only its answer is held back).
 */
export function faultError(fault: StoredFault, protocol: 'ec2' | 'elbv2'): AwsQueryError | undefined {
  if (fault.kind === 'error') return new AwsQueryError(fault.code, fault.message, fault.status ?? 400);
  if (fault.kind === 'throttle') {
    return protocol === 'ec2' ? new AwsQueryError('RequestLimitExceeded', 'Request limit exceeded.', 503) : new AwsQueryError('Throttling', 'Rate exceeded', 400);
  }
  return undefined;
}
