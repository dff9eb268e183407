import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AwsQueryError } from './aws-query-error.js';
import { ec2ErrorBody, ec2SuccessBody } from './ec2-xml.js';
import { elbv2ErrorBody, elbv2SuccessBody } from './elbv2-xml.js';
import { element, escapeXml, leaf, list, scalarList, xml } from './xml.js';

describe('XML writer', () => {
  test('escapes the five special characters in text', () => {
    assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    assert.equal(leaf('value', 'a<b & c'), '<value>a&lt;b &amp; c</value>');
  });

  test('omits unset leaves and writes scalars as AWS does', () => {
    assert.equal(leaf('x', undefined), '');
    assert.equal(leaf('x', null), '');
    assert.equal(leaf('flag', false), '<flag>false</flag>');
    assert.equal(leaf('n', 0), '<n>0</n>');
    assert.equal(leaf('at', new Date('2017-10-18T13:25:07.739Z')), '<at>2017-10-18T13:25:07.739Z</at>');
  });

  test('writes empty elements and lists in the short form', () => {
    assert.equal(element('tagSet'), '<tagSet/>');
    assert.equal(
      list('tagSet', 'item', [], () => xml()),
      '<tagSet/>',
    );
  });

  test('wraps EC2 sets in item and ELBv2 lists in member', () => {
    assert.equal(scalarList('subnetIdSet', 'item', ['subnet-1', 'subnet-2']), '<subnetIdSet><item>subnet-1</item><item>subnet-2</item></subnetIdSet>');
    assert.equal(
      list('Tags', 'member', [{ k: 'a', v: '1' }], (t) => xml(leaf('Key', t.k), leaf('Value', t.v))),
      '<Tags><member><Key>a</Key><Value>1</Value></member></Tags>',
    );
  });
});

describe('protocol envelopes', () => {
  test('EC2 success has the 2016-11-15 namespace and requestId first', () => {
    assert.equal(
      ec2SuccessBody('DeleteSubnet', 'req-1', leaf('return', true)),
      '<?xml version="1.0" encoding="UTF-8"?>\n<DeleteSubnetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId><return>true</return></DeleteSubnetResponse>',
    );
  });

  test('EC2 errors are Response/Errors/Error with RequestID', () => {
    assert.equal(
      ec2ErrorBody(new AwsQueryError('InvalidParameter', 'bad <thing>'), 'req-2'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidParameter</Code><Message>bad &lt;thing&gt;</Message></Error></Errors><RequestID>req-2</RequestID></Response>',
    );
  });

  test('ELBv2 success wraps the result and carries ResponseMetadata', () => {
    assert.equal(
      elbv2SuccessBody('DeleteListener', 'req-3', xml()),
      '<DeleteListenerResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DeleteListenerResult/><ResponseMetadata><RequestId>req-3</RequestId></ResponseMetadata></DeleteListenerResponse>\n',
    );
  });

  test('ELBv2 errors are Sender for 4xx and Receiver for 5xx', () => {
    assert.match(
      elbv2ErrorBody(new AwsQueryError('TooManyListeners', 'm', 400), 'r'),
      /<Error><Type>Sender<\/Type><Code>TooManyListeners<\/Code><Message>m<\/Message><\/Error><RequestId>r<\/RequestId>/,
    );
    assert.match(elbv2ErrorBody(new AwsQueryError('InternalFailure', 'm', 500), 'r'), /<Type>Receiver<\/Type>/);
  });
});
