import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, parseConfig, parseDuration } from '../../src/config';

const ROOT = path.join(__dirname, '..', '..');

interface Service {
  build?: string;
  image?: string;
  command?: string[];
  ports?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
}

const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
// Services that run this project's image, so their environment is the service configuration.
const appServices = Object.entries(services).filter(([, service]) => service.build === '.');

// What an operator puts in .env for the variables compose requires or leaves empty.
const OPERATOR_ENV: Record<string, string> = {
  WHIPLASH_WEBHOOK_SECRETS: 'whiplash-signing-key',
  GORGIAS_BASE_URL: 'https://acme.gorgias.com',
  GORGIAS_USERNAME: 'ops@acme.example',
  GORGIAS_API_KEY: 'gorgias-api-key',
  WHIPLASH_BASE_URL: 'https://www.getwhiplash.com',
  WHIPLASH_ACCESS_TOKEN: 'whiplash-access-token',
};

/** Resolves compose's `${NAME:-default}` and `${NAME:?message}` with the operator's .env, as compose would. */
function resolve(environment: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      String(value).replace(/\$\{(\w+):([-?])([^}]*)\}/g, (_, variable: string, kind: string, fallback: string) => {
        const set = OPERATOR_ENV[variable];
        if (set !== undefined) return set;
        assert.equal(kind, '-', `${variable} is required by compose but the operator's .env in this test lacks it`);
        return fallback;
      }),
    ]),
  );
}

function containerPort(mapping: string): number {
  return Number(mapping.split(':').at(-1));
}

function healthcheckPort(service: Service): number {
  const url = service.healthcheck?.test.find((part) => part.startsWith('http://'));
  assert.ok(url, 'the health check calls a URL');
  return Number(new URL(url).port);
}

describe('docker-compose.yml', () => {
  test('app services set only variables the service reads', () => {
    assert.ok(appServices.length >= 4);
    for (const [name, service] of appServices) {
      for (const variable of Object.keys(service.environment ?? {})) {
        assert.ok(CONFIG_VARIABLES.includes(variable), `${name} sets ${variable}, which the service does not read`);
      }
    }
  });

  test('each app service configuration parses', () => {
    for (const [name, service] of appServices) {
      assert.doesNotThrow(() => parseConfig(resolve(service.environment ?? {})), `${name} configuration`);
    }
  });

  test('production services require their secrets and accounts', () => {
    const required = (service: Service, variable: string) =>
      assert.match(String(service.environment?.[variable]), /^\$\{\w+:\?/, `${variable} must use \${NAME:?message}`);
    required(services.api!, 'WHIPLASH_WEBHOOK_SECRETS');
    required(services.worker!, 'GORGIAS_BASE_URL');
    required(services.worker!, 'WHIPLASH_BASE_URL');
  });

  test('API and worker ports, hosts and health checks agree', () => {
    const api = parseConfig(resolve(services.api!.environment!));
    assert.equal(api.api.host, '0.0.0.0');
    assert.deepEqual(services.api!.ports?.map(containerPort), [api.api.port]);
    assert.equal(healthcheckPort(services.api!), api.api.port);

    const worker = parseConfig(resolve(services.worker!.environment!));
    assert.equal(worker.worker.host, '0.0.0.0');
    assert.deepEqual(services.worker!.ports?.map(containerPort), [worker.worker.port]);
    assert.equal(healthcheckPort(services.worker!), worker.worker.port);
  });

  test('Temporal addresses name the temporal service and its port', () => {
    const temporalPorts = services.temporal!.ports!.map(containerPort);
    const clients = [...appServices.map(([name]) => name), 'temporal-ui'];
    for (const name of clients) {
      const address = resolve(services[name]!.environment ?? {}).TEMPORAL_ADDRESS ?? '';
      const [host, port] = address.split(':');
      assert.ok(host! in services, `${name} points at ${host}, which is not a service`);
      assert.ok(temporalPorts.includes(Number(port)), `${name} uses port ${port} of ${host}`);
    }
  });

  test('the Temporal UI calls the API codec server from an allowed origin', () => {
    const ui = services['temporal-ui']!;
    const endpoint = new URL(String(ui.environment?.TEMPORAL_CODEC_ENDPOINT));
    const api = parseConfig(resolve(services.api!.environment!));
    const published = services.api!.ports!.map((mapping) => Number(mapping.split(':')[0]));
    assert.equal(endpoint.pathname, '/codec');
    assert.ok(published.includes(Number(endpoint.port)), `the browser reaches the API on port ${endpoint.port}`);
    const uiOrigin = `http://localhost:${ui.ports![0]!.split(':')[0]}`;
    assert.ok(api.api.codecServer.corsOrigins.includes(uiOrigin), `CODEC_CORS_ORIGINS allows ${uiOrigin}`);
  });

  test('dependencies exist and containers outlast the shutdown grace time', () => {
    for (const [name, service] of Object.entries(services)) {
      const dependencies = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dependency of dependencies) {
        assert.ok(dependency in services, `${name} depends on ${dependency}, which is not a service`);
      }
    }
    for (const name of ['api', 'worker']) {
      const config = parseConfig(resolve(services[name]!.environment!));
      const stopMs = parseDuration(services[name]!.stop_grace_period ?? '10s')!;
      assert.ok(stopMs > config.shutdownGraceMs, `${name} stop_grace_period must exceed SHUTDOWN_GRACE_TIME`);
    }
  });

  test('app services run node directly, so SIGTERM reaches the service', () => {
    for (const [name, service] of appServices) {
      assert.equal(service.command?.[0], 'node', `${name} command`);
      const script = service.command?.find((part) => part.endsWith('.ts'));
      assert.ok(script, `${name} runs a script`);
      assert.doesNotThrow(() => readFileSync(path.join(ROOT, script)), `${name} runs ${script}, which exists`);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split('\n').filter((line) => line.startsWith('FROM '));

  test('builds in stages on a Debian-based Node.js 20 image', () => {
    assert.ok(stages.length >= 2, 'multi-stage');
    for (const stage of stages) assert.match(stage, /^FROM node:20-(bookworm|bullseye)/, 'glibc, not musl');
  });

  test('runs as a non-root user, exposes both ports and starts node', () => {
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /^EXPOSE 3000 3001$/m);
    assert.match(dockerfile, /^CMD \["node", "--import", "tsx", "src\/api\/main\.ts"\]$/m);
  });
});

describe('configuration docs', () => {
  const documented = (file: string, pattern: RegExp) =>
    new Set([...readFileSync(path.join(ROOT, file), 'utf8').matchAll(pattern)].map((match) => match[1]!));

  test('README and .env.example list every variable the service reads', () => {
    const readme = documented('README.md', /`([A-Z][A-Z0-9_]+)`/g);
    const example = documented('.env.example', /^([A-Z][A-Z0-9_]+)=/gm);
    for (const variable of CONFIG_VARIABLES) {
      assert.ok(readme.has(variable), `README.md does not document ${variable}`);
      assert.ok(example.has(variable), `.env.example does not list ${variable}`);
    }
    for (const variable of example)
      assert.ok(CONFIG_VARIABLES.includes(variable), `.env.example lists unknown ${variable}`);
  });
});
