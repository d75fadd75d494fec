/**
 * Static checks of the deployment files (Dockerfile, deploy/compose, deploy/k8s) against the
 * application they deploy: every variable is one src/config.ts reads and every container's
 * environment is a valid production configuration, every command is a real one, probes and Service
 * ports are where the container listens, no secret is written inline. Nothing here runs Docker or
 * Kubernetes (neither is on the build machine); `--help` is run the way the image's ENTRYPOINT runs it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { CONFIG_ENV_VARS, loadConfig, type Config } from '../../../src/config.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const K8S = join(ROOT, 'deploy/k8s');
const COMPOSE = join(ROOT, 'deploy/compose');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** Long-running roles, one process each (src/cli/serve.ts) … */
const ROLES = ['gateway', 'worker', 'monitor', 'archiver', 'trainer'] as const;
type RoleName = (typeof ROLES)[number];
/** … and the one-shot setup commands (src/cli/admin.ts). */
const SETUP = ['migrate', 'streams apply'] as const;
const COMMANDS: readonly string[] = [...ROLES, ...SETUP];
/** Variable names whose values are credentials: never inline outside the example files. */
const SECRET_NAME = /PASSWORD|PASS$|SECRET|TOKEN$|PII_KEYS|ACCESS_KEY|ROOT_USER/;
/** A PII key entry as `pii keygen` prints it: base64 of 32 bytes. */
const KEY_MATERIAL = /[A-Za-z0-9+/]{43}=/;

type Env = Record<string, string>;

const isRole = (name: string): name is RoleName => (ROLES as readonly string[]).includes(name);
const isKnownVar = (name: string): boolean => CONFIG_ENV_VARS.includes(name) || /^(AWS|NODE)_/.test(name);

/** Seconds a role may take to stop on SIGTERM: its own drain bound, plus a margin for closing connections and the CLI's 2 s exit timer. */
function minGraceSeconds(role: RoleName, cfg: Config): number {
  const margin = 15;
  switch (role) {
    case 'worker':
      return cfg.worker.drainTimeoutMs / 1000 + margin;
    case 'gateway':
      return cfg.grpc.shutdownGraceMs / 1000 + margin;
    case 'archiver':
      return cfg.archive.flushIntervalMs / 1000 + margin;
    case 'monitor':
    case 'trainer':
      return margin;
  }
}

/** The configuration a process with exactly this environment runs with (throws on an invalid value). */
function configFor(env: Env): Config {
  return loadConfig(env);
}

// ---------------------------------------------------------------- Kubernetes

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface HttpProbe {
  httpGet?: { path: string; port: number | string };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Env;
  stringData?: Env;
  spec?: unknown;
}
interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> };
    template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
  };
}
interface Service extends K8sObject {
  spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: number | string }[] };
}
interface Hpa extends K8sObject {
  spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
}

function yamlDocs(path: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'));
  const values: unknown[] = [];
  for (const doc of docs) {
    expect(doc.errors.map((e) => e.message), path).toEqual([]);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

const k8sFiles = readdirSync(K8S).filter((f) => /\.ya?ml$/.test(f)).sort();
const k8sObjects = k8sFiles
  .filter((f) => f !== 'kustomization.yaml' && f !== 'secret.example.yaml')
  .flatMap((f) => yamlDocs(join(K8S, f)) as K8sObject[]);
const kustomization = yamlDocs(join(K8S, 'kustomization.yaml'))[0] as {
  namespace: string;
  resources: string[];
  images?: { name: string }[];
};
const secretExample = yamlDocs(join(K8S, 'secret.example.yaml'))[0] as K8sObject;
const configMaps = k8sObjects.filter((o) => o.kind === 'ConfigMap');
const deployments = k8sObjects.filter((o): o is Workload => o.kind === 'Deployment');
const jobs = k8sObjects.filter((o): o is Workload => o.kind === 'Job');
const services = k8sObjects.filter((o): o is Service => o.kind === 'Service');
const hpas = k8sObjects.filter((o): o is Hpa => o.kind === 'HorizontalPodAutoscaler');

function configMapData(name: string): Env {
  const cm = configMaps.find((c) => c.metadata.name === name);
  expect(cm, `ConfigMap ${name}`).toBeDefined();
  return cm?.data ?? {};
}

function secretData(name: string): Env {
  expect(name, 'the Secret the containers reference').toBe(secretExample.metadata.name);
  return secretExample.stringData ?? secretExample.data ?? {};
}

/** The environment a container gets: envFrom sources, then env (valueFrom resolved from the examples). */
function containerEnv(c: Container): Env {
  const env: Env = {};
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, configMapData(from.configMapRef.name));
    if (from.secretRef) Object.assign(env, secretData(from.secretRef.name));
  }
  for (const v of c.env ?? []) {
    const ref = v.valueFrom?.secretKeyRef;
    if (ref) {
      const data = secretData(ref.name);
      expect(Object.keys(data), `${c.name}: ${v.name} from a key the Secret has`).toContain(ref.key);
      env[v.name] = data[ref.key] ?? '';
    } else if (v.valueFrom?.configMapKeyRef) {
      env[v.name] = configMapData(v.valueFrom.configMapKeyRef.name)[v.valueFrom.configMapKeyRef.key] ?? '';
    } else {
      env[v.name] = v.value ?? '';
    }
  }
  return env;
}

function envNames(c: Container): string[] {
  return Object.keys(containerEnv(c));
}

const commandOf = (c: Container): string => (c.args ?? []).join(' ');

function portNumber(c: Container, port: number | string): number | undefined {
  return typeof port === 'number' ? port : c.ports?.find((p) => p.name === port)?.containerPort;
}

function roleOf(d: Workload): RoleName {
  const role = d.spec.template.spec.containers[0]?.args?.[0] ?? '';
  if (!isRole(role)) throw new Error(`${d.metadata.name} runs "${role}", not a role`);
  return role;
}

function isUnder(path: string, dir: string): boolean {
  const rel = posix.relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !posix.isAbsolute(rel));
}

// ---------------------------------------------------------------- compose

interface ComposeService {
  image?: string;
  entrypoint?: string[];
  command?: string[];
  /** Unquoted YAML numbers and booleans arrive as such; compose passes them on as text. */
  environment?: Record<string, string | number | boolean | null>;
  restart?: string;
  ports?: string[];
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  stop_grace_period?: string;
}

const composeText = readFileSync(join(COMPOSE, 'compose.yaml'), 'utf8');
const compose = parse(composeText, { merge: true }) as { services: Record<string, ComposeService> };
const envExample = Object.fromEntries(
  readFileSync(join(COMPOSE, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
);

/** Compose interpolation of `${NAME}`, `${NAME:-default}`, `${NAME:?message}`, `$$`, from the example env file. */
function interpolate(value: string): string {
  return value
    .replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op: string | undefined, arg: string | undefined) => {
      const set = envExample[name];
      if (set) return set;
      if (op === '-') return arg ?? '';
      return `example-${name.toLowerCase()}`; // required: stands for what the operator fills in
    })
    .replaceAll('$$', '$');
}

const composeServices = Object.entries(compose.services);
const appServices = composeServices.filter(([, s]) => s.image?.includes('surveystream') === true);
const composeEnv = (s: ComposeService): Env =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, v === null ? '' : interpolate(String(v))]));
const composeRoleServices = appServices.filter(([, s]) => isRole((s.command ?? []).join(' ')));

function seconds(duration: string | undefined): number {
  const m = /^(\d+)(s|m)$/.exec(duration ?? '10s');
  if (!m) throw new Error(`unreadable duration ${duration}`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

// ---------------------------------------------------------------- the CLI, as the image runs it

/** `node bin/surveystream.mjs --help`, the image's ENTRYPOINT with `--help` (its CMD). */
function usage(): string {
  return execFileSync(process.execPath, ['bin/surveystream.mjs', '--help'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
    timeout: 20_000,
  });
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const listsCommand = (text: string, command: string): boolean =>
  new RegExp(`^ {2}${escapeRe(command)} {2,}\\S`, 'm').test(text);

describe('deploy: the CLI the manifests call', () => {
  it('lists every command the manifests run when started as the image entrypoint', () => {
    const text = usage();
    for (const command of COMMANDS) expect(listsCommand(text, command), command).toBe(true);
    const used = new Set([
      ...appServices.map(([, s]) => (s.command ?? []).join(' ')),
      ...[...deployments, ...jobs].flatMap((w) => [...(w.spec.template.spec.initContainers ?? []), ...w.spec.template.spec.containers].map(commandOf)),
    ]);
    for (const command of used) expect(listsCommand(text, command), command).toBe(true);
  });
});

describe('deploy: Dockerfile', () => {
  const lines = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const instr = (name: string): string[] => lines.filter((l) => l.toUpperCase().startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());

  it('builds on Node 20, runs bin/surveystream.mjs as a non-root user', () => {
    expect(instr('FROM')[0]).toMatch(/^node:20[-.\w]*$/);
    expect(JSON.parse(instr('ENTRYPOINT').at(-1) ?? '[]')).toEqual(['node', 'bin/surveystream.mjs']);
    const user = instr('USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user?.split(':')[0]);
  });

  it('exposes the gRPC and HTTP ports the manifests configure', () => {
    const exposed = instr('EXPOSE').flatMap((l) => l.split(/\s+/)).map(Number);
    const cfg = configFor(configMapData('surveystream-config'));
    expect(exposed).toContain(cfg.grpc.port);
    expect(exposed).toContain(cfg.http.port);
  });

  it('copies everything a role reads at run time, and the build context keeps it', () => {
    const defaults = loadConfig({});
    const needed = ['package.json', 'package-lock.json', 'bin', 'src', 'proto', defaults.nats.streamsDir, defaults.clickhouse.migrationsDir, defaults.model.path]
      .map((p) => posix.normalize(p).replace(/\/$/, ''));
    // package.json overrides point at local directories; npm ci needs them before it runs.
    const pkg = JSON.parse(read('package.json')) as { overrides?: Record<string, string> };
    for (const spec of Object.values(pkg.overrides ?? {})) if (spec.startsWith('file:')) needed.push(posix.normalize(spec.slice(5)));
    const copied = instr('COPY').flatMap((l) => l.split(/\s+/).filter((w) => !w.startsWith('--')).slice(0, -1));
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const path of needed) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
      expect(copied.some((c) => isUnder(path, posix.normalize(c))), `COPY ${path}`).toBe(true);
      expect(ignored.some((i) => isUnder(path, i)), `.dockerignore keeps ${path}`).toBe(false);
    }
  });

  it('omits devDependencies only because nothing the roles load imports one', () => {
    expect(instr('RUN').some((l) => /npm ci\b.*--omit=dev/.test(l))).toBe(true);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    // A docs generator run from a checkout, never imported by a role.
    const devOnly = new Set(['src/validate/render-docs.ts']);
    const files = [...walk(join(ROOT, 'src')), ...walk(join(ROOT, 'bin'))].filter((f) => /\.(ts|mjs)$/.test(f));
    const missing: string[] = [];
    for (const file of files) {
      const rel = relative(ROOT, file).split('\\').join('/');
      if (devOnly.has(rel)) continue;
      for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
        if (fileName.startsWith('.') || fileName.startsWith('node:') || builtinModules.includes(fileName)) continue;
        const name = fileName.startsWith('@') ? fileName.split('/').slice(0, 2).join('/') : fileName.split('/')[0]!;
        if (!(name in pkg.dependencies)) missing.push(`${rel}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

describe('deploy: compose', () => {
  it('sets only variables src/config.ts reads, with a valid production configuration', () => {
    expect(appServices.length).toBeGreaterThan(0);
    for (const [name, s] of appServices) {
      const env = composeEnv(s);
      expect(Object.keys(env).filter((k) => !isKnownVar(k)), name).toEqual([]);
      const cfg = configFor(env);
      expect(cfg.nats.url, `${name}: NATS_URL`).toBeTruthy();
      expect(cfg.clickhouse.url, `${name}: CLICKHOUSE_URL`).toBeTruthy();
      expect(cfg.nats.streamReplicas, `${name}: NATS_STREAM_REPLICAS = the cluster size`).toBe(
        composeServices.filter(([, n]) => n.image?.startsWith('nats:') === true).length,
      );
    }
  });

  it('runs every role once, after the one-shot migrate and streams apply', () => {
    for (const [name, s] of appServices) {
      expect(s.entrypoint, `${name} keeps the image entrypoint`).toBeUndefined();
      expect(COMMANDS, name).toContain((s.command ?? []).join(' '));
    }
    expect(composeRoleServices.map(([, s]) => s.command?.join(' ')).sort()).toEqual([...ROLES].sort());
    const setup = appServices.filter(([, s]) => (SETUP as readonly string[]).includes((s.command ?? []).join(' ')));
    expect(setup.map(([, s]) => s.command?.join(' ')).sort()).toEqual([...SETUP].sort());
    for (const [name, s] of composeRoleServices) {
      for (const [setupName] of setup) {
        expect(s.depends_on?.[setupName]?.condition, `${name} waits for ${setupName}`).toBe('service_completed_successfully');
      }
      const cfg = configFor(composeEnv(s));
      expect(cfg.objectStore.url, `${name}: OBJECT_STORE_URL`).toBeTruthy();
      expect([cfg.nats.applyStreams, cfg.clickhouse.migrate], `${name} leaves setup to the one-shot services`).toEqual([false, false]);
    }
  });

  it('checks health on /readyz at the HTTP_PORT each role listens on, on all interfaces', () => {
    for (const [name, s] of composeRoleServices) {
      const cfg = configFor(composeEnv(s));
      expect(cfg.http.host, name).toBe('0.0.0.0');
      expect(s.healthcheck?.test?.join(' '), name).toContain(`http://127.0.0.1:${cfg.http.port}/readyz`);
    }
  });

  it('publishes the gateway on its GRPC_PORT and runs at least two workers', () => {
    const gateway = composeRoleServices.find(([, s]) => s.command?.[0] === 'gateway')?.[1];
    const cfg = configFor(composeEnv(gateway ?? {}));
    expect(cfg.grpc.host).toBe('0.0.0.0');
    expect(gateway?.ports?.some((p) => p.endsWith(`:${cfg.grpc.port}`))).toBe(true);
    const worker = composeRoleServices.find(([, s]) => s.command?.[0] === 'worker')?.[1];
    expect(worker?.deploy?.replicas).toBeGreaterThanOrEqual(2);
  });

  it('gives every role time to drain on SIGTERM', () => {
    for (const [name, s] of composeRoleServices) {
      const role = s.command?.[0] ?? '';
      if (!isRole(role)) throw new Error(role);
      expect(seconds(s.stop_grace_period), name).toBeGreaterThanOrEqual(minGraceSeconds(role, configFor(composeEnv(s))));
    }
  });

  it('takes every secret from the env file, which has none filled in', () => {
    const uncommented = composeText.replace(/^\s*#.*$/gm, '');
    const referenced = new Set([...uncommented.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!));
    expect([...referenced].sort()).toEqual(Object.keys(envExample).sort());
    for (const [name, s] of composeServices) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (!SECRET_NAME.test(key)) continue;
        expect(String(value), `${name}: ${key}`).toMatch(/^\$\{[A-Z0-9_]+(:\?[^}]*|:-)?\}$/);
      }
    }
    for (const [key, value] of Object.entries(envExample)) {
      if (SECRET_NAME.test(key)) expect(value, `.env.example ${key}`).toBe('');
    }
  });
});

describe('deploy: kubernetes', () => {
  const allContainers = [...deployments, ...jobs].flatMap((w) =>
    [...(w.spec.template.spec.initContainers ?? []), ...w.spec.template.spec.containers].map((c) => ({ owner: w.metadata.name, c })),
  );

  it('lists every manifest in the kustomization except the Secret example', () => {
    const expected = k8sFiles.filter((f) => f !== 'kustomization.yaml' && f !== 'secret.example.yaml');
    expect([...kustomization.resources].sort()).toEqual(expected);
    const ns = k8sObjects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(ns).toEqual([kustomization.namespace]);
    for (const o of [...k8sObjects, secretExample]) {
      if (o.metadata.namespace !== undefined) expect(o.metadata.namespace, o.metadata.name).toBe(kustomization.namespace);
    }
  });

  it('sets only variables src/config.ts reads (ConfigMap, Secret, containers)', () => {
    for (const cm of configMaps) expect(Object.keys(cm.data ?? {}).filter((k) => !isKnownVar(k)), cm.metadata.name).toEqual([]);
    expect(Object.keys(secretData(secretExample.metadata.name)).filter((k) => !isKnownVar(k))).toEqual([]);
    for (const { owner, c } of allContainers) expect(envNames(c).filter((k) => !isKnownVar(k)), `${owner}/${c.name}`).toEqual([]);
  });

  it('runs the image entrypoint with a real command, in production mode', () => {
    const imageName = kustomization.images?.[0]?.name;
    for (const { owner, c } of allContainers) {
      const where = `${owner}/${c.name}`;
      expect(c.image, where).toBe(imageName);
      expect(c.command, `${where} keeps the image entrypoint`).toBeUndefined();
      expect(COMMANDS, where).toContain(commandOf(c));
      const cfg = configFor(containerEnv(c));
      expect(cfg.nats.url, `${where}: NATS_URL`).toBeTruthy();
      expect(cfg.clickhouse.url, `${where}: CLICKHOUSE_URL`).toBeTruthy();
      expect(cfg.nats.streamReplicas, `${where}: streams R3 (DESIGN.md §8)`).toBe(3);
    }
    const setup = jobs.flatMap((j) => [...(j.spec.template.spec.initContainers ?? []), ...j.spec.template.spec.containers].map(commandOf));
    expect(setup).toEqual(['migrate', 'streams apply']);
  });

  it('runs each role in one Deployment that leaves migrations and streams to the setup Job', () => {
    expect(deployments.map(roleOf).sort()).toEqual([...ROLES].sort());
    for (const d of deployments) {
      const role = roleOf(d);
      expect(d.spec.template.metadata?.labels?.['app.kubernetes.io/component'], d.metadata.name).toBe(role);
      expect(d.spec.template.spec.containers).toHaveLength(1);
      const cfg = configFor(containerEnv(d.spec.template.spec.containers[0]!));
      expect(cfg.objectStore.url, `${role}: OBJECT_STORE_URL`).toBeTruthy();
      expect([cfg.nats.applyStreams, cfg.clickhouse.migrate], role).toEqual([false, false]);
      expect(d.spec.template.spec.terminationGracePeriodSeconds ?? 30, `${role} drains`).toBeGreaterThanOrEqual(minGraceSeconds(role, cfg));
    }
  });

  it('probes /livez and /readyz on the HTTP_PORT each container listens on, on all interfaces', () => {
    for (const d of deployments) {
      const c = d.spec.template.spec.containers[0]!;
      const cfg = configFor(containerEnv(c));
      expect(cfg.http.host, d.metadata.name).toBe('0.0.0.0');
      const probes = { startupProbe: '/livez', livenessProbe: '/livez', readinessProbe: '/readyz' } as const;
      for (const [kind, path] of Object.entries(probes)) {
        const probe = c[kind as keyof typeof probes]?.httpGet;
        if (kind === 'startupProbe' && !probe) continue;
        expect(probe?.path, `${d.metadata.name} ${kind}`).toBe(path);
        expect(portNumber(c, probe?.port ?? -1), `${d.metadata.name} ${kind} port`).toBe(cfg.http.port);
      }
    }
  });

  it('runs as non-root with writable data and temp dirs under a read-only root filesystem', () => {
    for (const { owner, c } of allContainers) {
      const pod = [...deployments, ...jobs].find((w) => w.metadata.name === owner)!.spec.template.spec;
      expect(pod.securityContext?.runAsNonRoot, owner).toBe(true);
      expect(pod.securityContext?.runAsUser, owner).not.toBe(0);
      expect(c.securityContext?.allowPrivilegeEscalation, owner).toBe(false);
      if (!c.securityContext?.readOnlyRootFilesystem) continue;
      const cfg = configFor(containerEnv(c));
      const mounts = (c.volumeMounts ?? []).map((m) => m.mountPath);
      const writable = [cfg.dataDir, '/tmp', ...(commandOf(c) === 'gateway' ? [cfg.grpc.spoolDir ?? posix.join(cfg.dataDir, 'spool')] : [])];
      for (const dir of writable) expect(mounts.some((m) => isUnder(dir, m)), `${owner}/${c.name}: ${dir} is mounted`).toBe(true);
    }
  });

  it('exposes Services on the ports the selected containers listen on (GRPC_PORT, HTTP_PORT)', () => {
    expect(services.map((s) => s.metadata.name)).toContain('surveystream-gateway');
    for (const svc of services) {
      const target = deployments.find((d) =>
        Object.entries(svc.spec.selector).every(([k, v]) => d.spec.template.metadata?.labels?.[k] === v),
      );
      expect(target, `${svc.metadata.name} selects a Deployment`).toBeDefined();
      const c = target!.spec.template.spec.containers[0]!;
      const cfg = configFor(containerEnv(c));
      const wanted: Record<string, number> = { grpc: cfg.grpc.port, http: cfg.http.port };
      for (const p of svc.spec.ports) {
        expect(Object.keys(wanted), `${svc.metadata.name} port ${p.name}`).toContain(p.name);
        expect(portNumber(c, p.targetPort), `${svc.metadata.name} ${p.name} targetPort`).toBe(wanted[p.name]);
        expect(p.port, `${svc.metadata.name} ${p.name} port`).toBe(wanted[p.name]);
      }
    }
    const gateway = deployments.find((d) => roleOf(d) === 'gateway')!.spec.template.spec.containers[0]!;
    const cfg = configFor(containerEnv(gateway));
    expect(cfg.grpc.host).toBe('0.0.0.0');
    expect(portNumber(gateway, 'grpc')).toBe(cfg.grpc.port);
  });

  it('scales workers from two, no further than the score consumer lets them pull', () => {
    const worker = deployments.find((d) => roleOf(d) === 'worker')!;
    expect(worker.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(hpas).toHaveLength(1);
    const hpa = hpas[0]!;
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: worker.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const surveys = JSON.parse(read('streams/surveys.json')) as { consumers: { durable_name: string; max_ack_pending: number }[] };
    const score = surveys.consumers.find((c) => c.durable_name === 'score')!;
    const cfg = configFor(containerEnv(worker.spec.template.spec.containers[0]!));
    expect(hpa.spec.maxReplicas * cfg.worker.maxInFlight).toBeLessThanOrEqual(score.max_ack_pending);
  });

  it('keeps secrets out of the ConfigMap and container specs; the example holds placeholders only', () => {
    for (const cm of configMaps) expect(Object.keys(cm.data ?? {}).filter((k) => SECRET_NAME.test(k)), cm.metadata.name).toEqual([]);
    for (const { owner, c } of allContainers) {
      for (const v of c.env ?? []) {
        if (SECRET_NAME.test(v.name)) expect(v.valueFrom?.secretKeyRef, `${owner}: ${v.name}`).toBeDefined();
      }
    }
    expect(secretExample.kind).toBe('Secret');
    for (const [key, value] of Object.entries(secretData(secretExample.metadata.name))) expect(value, key).toMatch(/REPLACE_ME/);
  });
});

describe('deploy: no key material anywhere', () => {
  it('has no PII key or other base64 secret in the committed deployment files', () => {
    const files = ['Dockerfile', '.dockerignore', ...walk(COMPOSE).filter((f) => !f.endsWith('/.env')).map((f) => relative(ROOT, f)), ...k8sFiles.map((f) => `deploy/k8s/${f}`)];
    for (const file of files) expect(KEY_MATERIAL.test(read(file)), file).toBe(false);
  });
});
