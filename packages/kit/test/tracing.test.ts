import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { startTracing } from '../src/tracing.ts';

// Tracing is off by default (test/operations-tracing.test.ts shows it on, exporting over OTLP).
describe('tracing switch', () => {
  it('is off without an OTLP endpoint: spans are not recorded', async () => {
    const tracing = startTracing('kit-test', {});
    expect(trace.getTracer('kit-test').startSpan('nothing').isRecording()).toBe(false);
    await tracing.stop();
  });

  it('stays off with OTEL_SDK_DISABLED=true, even with an endpoint', async () => {
    const tracing = startTracing('kit-test', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SDK_DISABLED: 'true' });
    expect(trace.getTracer('kit-test').startSpan('nothing').isRecording()).toBe(false);
    await tracing.stop();
  });
});
