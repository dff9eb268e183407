/**
 * The one error type of the AWS emulation. Actions throw it; each protocol serialises it in one
 * place (ec2-xml.ts, elbv2-xml.ts). `code` and `message` are AWS's wire texts; `status` the HTTP
 * status AWS answers with.
 */
export class AwsQueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = 'AwsQueryError';
  }
}

/** Whether `error` is an AwsQueryError. */
export function isAwsQueryError(error: unknown): error is AwsQueryError {
  return error instanceof AwsQueryError;
}
