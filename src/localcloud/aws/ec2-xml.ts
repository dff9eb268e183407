import type { AwsQueryError } from './aws-query-error.js';
import { escapeXml, type Xml } from './xml.js';

/** The EC2 Query API namespace (version 2016-11-15); the trailing slash matters. */
const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** `<ActionResponse xmlns=…><requestId>…</requestId>body</ActionResponse>` as AWS sends on success. */
export function ec2SuccessBody(action: string, requestId: string, body: Xml): string {
  return `${PROLOG}<${action}Response xmlns="${EC2_XMLNS}"><requestId>${escapeXml(requestId)}</requestId>${body}</${action}Response>`;
}

/**
 * EC2's error document. Note `RequestID` (capital ID) here versus `requestId` on success: that is
 * what AWS sends and what the SDKs parse.
 */
export function ec2ErrorBody(error: Pick<AwsQueryError, 'code' | 'message'>, requestId: string): string {
  return (
    `${PROLOG}<Response><Errors><Error><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error></Errors>` +
    `<RequestID>${escapeXml(requestId)}</RequestID></Response>`
  );
}
