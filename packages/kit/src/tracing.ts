import { SpanKind, SpanStatusCode, context, propagation, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import { createRequire } from 'node:module';
import type { ApolloServerPlugin } from '@apollo/server';
import { pathOf, type NodeMiddleware } from './http.ts';

/** Whether `startTracing` turned tracing on: while off, the helpers below skip even the API's no-op spans and context switches. */
let tracing = false;

/**
 * OpenTelemetry tracing, off by default. It is on when an OTLP endpoint is configured with the
 * standard variables (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, and
 * `OTEL_SDK_DISABLED` not `true`); spans go there over OTLP/HTTP. Trace context crosses processes
 * in the W3C `traceparent` header. While off, every helper here is a no-op.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): { stop(): Promise<void> } {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true') return { stop: async () => {} };
  tracing = true;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? `pathway-${service}` }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), scheduledDelayMillis: 500 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const libraries = instrumentLibraries(provider);
  return {
    stop: async () => {
      tracing = false;
      for (const instrumentation of libraries) instrumentation.disable();
      await provider.shutdown();
    },
  };
}

/**
 * Spans for MongoDB commands and Redis commands, from the maintained instrumentations. Only calls
 * made within a span get one (`requireParentSpan`), so background loops (stream readers, relays)
 * add none. A Redis span says the command's name, never its arguments (keys can name people);
 * a MongoDB span shows the command's shape with every value replaced by `?`.
 */
function instrumentLibraries(provider: TracerProvider): InstrumentationBase[] {
  const instrumentations: InstrumentationBase[] = [
    new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    new MongoDBInstrumentation({ requireParentSpan: true }),
  ];
  // The instrumentations patch a module when it is required through their hooks, but ESM imports
  // are evaluated before any code runs, so mongodb and ioredis are loaded already: requiring them
  // (and the driver files the instrumentation patches) once more goes through the hooks and
  // patches the very module objects the process uses.
  const require = createRequire(import.meta.url);
  for (const instrumentation of instrumentations) {
    instrumentation.setTracerProvider(provider);
    for (const definition of instrumentation.getModuleDefinitions()) {
      require(definition.name);
      for (const file of definition.files) {
        const path = resolveOrNull(require, file.name); // files of other major versions do not exist
        if (path) require(path);
      }
    }
  }
  return instrumentations;
}

function resolveOrNull(require: NodeJS.Require, name: string): string | null {
  try {
    return require.resolve(name);
  } catch {
    return null;
  }
}

const tracer = () => trace.getTracer('pathway');

/**
 * Middleware (Express's or the subgraphs' plain server's): a server span per HTTP request, a child of the caller's `traceparent` when
 * there is one, active for everything the request runs (so outgoing calls carry it on).
 */
export function traceRequests(): NodeMiddleware {
  return (req, res, next) => {
    if (!tracing) return next();
    // Express strips a mount path from `url`; `originalUrl` keeps it.
    const path = pathOf((req as { originalUrl?: string }).originalUrl ?? req.url);
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer().startSpan(
      `${req.method} ${path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': path } },
      parent,
    );
    res.once('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), () => next());
  };
}

/** Names the request's span after the GraphQL operation (`query UserProfile`). */
export function tracingPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      if (!tracing) return;
      return {
        async didResolveOperation({ operationName, operation }) {
          const span = trace.getActiveSpan();
          span?.updateName(`${operation?.operation ?? 'graphql'} ${operationName ?? 'anonymous'}`);
          span?.setAttribute('graphql.operation.name', operationName ?? 'anonymous');
        },
      };
    },
  };
}

/** Runs `fn` in a child span of the active one (a subgraph fetch, a database transaction). */
export function inSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>, kind: SpanKind = SpanKind.CLIENT): Promise<T> {
  if (!tracing) return fn();
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Adds the active trace context (`traceparent`) to outgoing request headers. */
export function traceHeaders(headers: { set(name: string, value: string): void }): void {
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
}

/** The active trace context as plain headers, for `fetch`. */
export function traceHeaderRecord(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}
