import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildConfig, ConfigError, describeConfig } from './config.js';

describe('config: the clouds served and the local cloud ports', () => {
  test('by default AWS, Azure and GCP all run in the local cloud on 4566, 4567 and 4568', () => {
    const config = buildConfig({}, {});
    assert.deepEqual(
      { aws: config.aws.mode, azure: config.azure.mode, gcp: config.gcp, ports: [config.localCloud.port, config.localCloud.azurePort, config.localCloud.gcpPort] },
      { aws: 'local', azure: 'local', gcp: { mode: 'local', projectId: null }, ports: [4566, 4567, 4568] },
    );
  });

  test('the Azure and GCP ports follow the AWS port: +1 and +2, or any free port when it is 0', () => {
    const moved = buildConfig({ localcloudPort: 5000 }, {});
    assert.deepEqual([moved.localCloud.azurePort, moved.localCloud.gcpPort], [5001, 5002]);
    const free = buildConfig({ localcloudPort: 0 }, {});
    assert.deepEqual([free.localCloud.azurePort, free.localCloud.gcpPort], [0, 0]);
  });

  test('PRIVLINK_LOCALCLOUD_GCP_PORT sets the GCP port; a bad one is refused', () => {
    assert.equal(buildConfig({}, { PRIVLINK_LOCALCLOUD_GCP_PORT: '9999' }).localCloud.gcpPort, 9999);
    assert.throws(() => buildConfig({}, { PRIVLINK_LOCALCLOUD_GCP_PORT: '70000' }), /PRIVLINK_LOCALCLOUD_GCP_PORT must be an integer from 0 to 65535, not 70000/);
  });

  test('PRIVLINK_GCP=off turns GCP off; an unknown mode is refused', () => {
    assert.equal(buildConfig({}, { PRIVLINK_GCP: 'off' }).gcp.mode, 'off');
    assert.throws(
      () => buildConfig({}, { PRIVLINK_GCP: 'cloud' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, 'PRIVLINK_GCP must be local, real or off, not cloud.');
        return true;
      },
    );
  });

  test('PRIVLINK_GCP=real needs the producer project in PRIVLINK_GCP_PROJECT_ID, a well-formed project id', () => {
    assert.throws(() => buildConfig({}, { PRIVLINK_GCP: 'real' }), /PRIVLINK_GCP=real needs the producer project in PRIVLINK_GCP_PROJECT_ID/);
    assert.deepEqual(buildConfig({}, { PRIVLINK_GCP: 'real', PRIVLINK_GCP_PROJECT_ID: 'atlas-psc-123' }).gcp, { mode: 'real', projectId: 'atlas-psc-123' });
    for (const bad of ['Upper-Case', '1starts-with-digit', 'short', 'ends-with-hyphen-', 'a'.repeat(31)]) {
      assert.throws(() => buildConfig({}, { PRIVLINK_GCP: 'real', PRIVLINK_GCP_PROJECT_ID: bad }), /is not a GCP project id/, bad);
    }
  });

  test('against real AWS, Azure and GCP are off unless asked for', () => {
    const config = buildConfig({}, { PRIVLINK_AWS: 'real' });
    assert.deepEqual([config.azure.mode, config.gcp.mode, config.localCloud.enabled], ['off', 'off', false]);
    assert.equal(buildConfig({}, { PRIVLINK_AWS: 'real', PRIVLINK_GCP: 'real', PRIVLINK_GCP_PROJECT_ID: 'producer-project' }).gcp.mode, 'real');
  });
});

describe('tracing configuration', () => {
  test('off by default; on with PRIVLINK_OTLP_ENDPOINT or the OpenTelemetry endpoint variables', () => {
    assert.deepEqual(buildConfig({}, {}).tracing, {
      exporter: 'none',
      endpoint: null,
      serviceName: 'privlink',
      headers: {},
      sampler: 'parentbased_ratelimited',
      samplerRatio: 0.1,
      tracesPerSecond: 10,
    });
    assert.equal(buildConfig({}, { PRIVLINK_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' }).tracing.endpoint, 'http://127.0.0.1:4318/v1/traces');
    assert.equal(buildConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing.endpoint, 'http://collector:4318/v1/traces');
    const traces = buildConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:9999/traces' });
    assert.equal(traces.tracing.endpoint, 'http://other:9999/traces');
    assert.equal(buildConfig({}, { OTEL_TRACES_EXPORTER: 'otlp' }).tracing.endpoint, 'http://localhost:4318/v1/traces');
  });

  test('OTEL_TRACES_EXPORTER=none and OTEL_SDK_DISABLED=true turn it off; gRPC and bad values are refused', () => {
    assert.equal(buildConfig({}, { PRIVLINK_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing.exporter, 'none');
    assert.equal(buildConfig({}, { PRIVLINK_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).tracing.exporter, 'none');
    assert.throws(() => buildConfig({}, { PRIVLINK_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), ConfigError);
    assert.throws(() => buildConfig({}, { OTEL_TRACES_EXPORTER: 'jaeger' }), ConfigError);
    assert.throws(() => buildConfig({}, { PRIVLINK_OTLP_ENDPOINT: 'collector:4318' }), ConfigError);
  });

  test('sampling: at most ten new traces a second by default, OpenTelemetry sampler names and ratios otherwise; bad values are refused', () => {
    const sampling = (env: Record<string, string>) => {
      const { sampler, samplerRatio, tracesPerSecond } = buildConfig({}, { PRIVLINK_OTLP_ENDPOINT: 'http://c:4318', ...env }).tracing;
      return { sampler, samplerRatio, tracesPerSecond };
    };
    assert.deepEqual(sampling({}), { sampler: 'parentbased_ratelimited', samplerRatio: 0.1, tracesPerSecond: 10 });
    assert.deepEqual(sampling({ PRIVLINK_TRACES_PER_SECOND: '2.5' }), { sampler: 'parentbased_ratelimited', samplerRatio: 0.1, tracesPerSecond: 2.5 });
    assert.deepEqual(sampling({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }), { sampler: 'parentbased_always_on', samplerRatio: 0.1, tracesPerSecond: 10 });
    assert.deepEqual(sampling({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }), { sampler: 'traceidratio', samplerRatio: 0.25, tracesPerSecond: 10 });
    assert.throws(() => sampling({ OTEL_TRACES_SAMPLER: 'jaeger_remote' }), ConfigError);
    assert.throws(() => sampling({ PRIVLINK_TRACES_PER_SECOND: '-1' }), ConfigError);
    assert.throws(() => sampling({ PRIVLINK_TRACES_PER_SECOND: 'many' }), ConfigError);
    assert.throws(() => sampling({ OTEL_TRACES_SAMPLER_ARG: '1.5' }), ConfigError);
    assert.throws(() => sampling({ OTEL_TRACES_SAMPLER_ARG: 'half' }), ConfigError);
  });

  test('export headers are kept and masked when the configuration is printed', () => {
    const config = buildConfig({}, { PRIVLINK_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret,x-team=net' });
    assert.deepEqual(config.tracing.headers, { authorization: 'Bearer s3cret', 'x-team': 'net' });
    assert.ok(!JSON.stringify(describeConfig(config)).includes('s3cret'));
  });

  test('connection notifications: topic and queue both or neither, each in AWS shape; flags win over env', () => {
    const topic = 'arn:aws:sns:us-east-1:123456789012:privlink-connections';
    const queue = 'https://sqs.us-east-1.amazonaws.com/123456789012/privlink-connections';
    assert.equal(buildConfig({}, {}).aws.notifications, null);
    assert.deepEqual(buildConfig({}, { PRIVLINK_AWS_NOTIFICATION_TOPIC: topic, PRIVLINK_AWS_NOTIFICATION_QUEUE: queue }).aws.notifications, { topicArn: topic, queueUrl: queue });
    assert.deepEqual(buildConfig({ awsNotificationTopic: topic, awsNotificationQueue: queue }, {}).aws.notifications, { topicArn: topic, queueUrl: queue });
    assert.throws(() => buildConfig({}, { PRIVLINK_AWS_NOTIFICATION_TOPIC: topic }), /both .* or neither/);
    assert.throws(() => buildConfig({ awsNotificationQueue: queue }, {}), /both .* or neither/);
    assert.throws(() => buildConfig({}, { PRIVLINK_AWS_NOTIFICATION_TOPIC: 'my-topic', PRIVLINK_AWS_NOTIFICATION_QUEUE: queue }), /not an SNS topic ARN/);
    assert.throws(() => buildConfig({}, { PRIVLINK_AWS_NOTIFICATION_TOPIC: topic, PRIVLINK_AWS_NOTIFICATION_QUEUE: 'privlink-connections' }), /not an SQS queue URL/);
    assert.equal(buildConfig({}, { PRIVLINK_TEST_LOCALCLOUD_ANNOUNCE: 'off' }).testing.localCloudAnnouncements, false);
  });

  test("the embedded store's shared buffers: 16MB by default, PRIVLINK_PGLITE_SHARED_BUFFERS in whole megabytes", () => {
    assert.equal(buildConfig({}, {}).pgliteSharedBuffers, '16MB');
    assert.equal(buildConfig({}, { PRIVLINK_PGLITE_SHARED_BUFFERS: '128MB' }).pgliteSharedBuffers, '128MB');
    for (const bad of ['0MB', '16', '16mb', '1GB', '5000MB', '-1MB']) assert.throws(() => buildConfig({}, { PRIVLINK_PGLITE_SHARED_BUFFERS: bad }), ConfigError, bad);
  });
});
