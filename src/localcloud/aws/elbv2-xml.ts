import type { AwsQueryError } from './aws-query-error.js';
import { escapeXml, type Xml } from './xml.js';

/** The ELBv2 Query API namespace (version 2015-12-01). */
const ELBV2_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

/**
 * `<ActionResponse xmlns=…><ActionResult>result</ActionResult><ResponseMetadata><RequestId>…`,
 * the awsQuery success shape.
 */
export function elbv2SuccessBody(action: string, requestId: string, result: Xml): string {
  const resultXml = result.length === 0 ? `<${action}Result/>` : `<${action}Result>${result}</${action}Result>`;
  return `<${action}Response xmlns="${ELBV2_XMLNS}">${resultXml}` + `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>\n`;
}

/** The awsQuery error document; `Type` is `Receiver` for 5xx, `Sender` otherwise. */
export function elbv2ErrorBody(error: Pick<AwsQueryError, 'code' | 'message' | 'status'>, requestId: string): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${ELBV2_XMLNS}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>\n`
  );
}
