// No Docker engine runs in CI, so the image and compose files are checked as far as text allows:
// what the issue asked of them, and that they agree with each other and with .env.example.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../support/service-processes.js';

const read = (file: string) => readFileSync(path.join(repoRoot(), file), 'utf8');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  read_only?: boolean;
  init?: boolean;
  volumes?: string[];
  profiles?: string[];
}

describe('deployment files', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
  const services = compose.services;
  const dockerfile = read('Dockerfile');
  const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('keep secrets, local state and built output out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['.env', '.tmp', '.tools', 'node_modules', '.git', 'dist']) expect(ignored).toContain(entry);
  });

  it('build one image on Node 22+ that runs as a user who cannot change its files', () => {
    for (const match of dockerfile.matchAll(/^ARG NODE_IMAGE=node:(\d+)/gm)) expect(Number(match[1])).toBeGreaterThanOrEqual(22);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:\d+/m);
    expect(runtimeStage).toMatch(/^USER node$/m);
    // Files copied without --chown belong to root; nothing hands them to the app user.
    expect(runtimeStage).not.toMatch(/--chown/);
    expect(runtimeStage).not.toMatch(/chown\s/);
    expect(runtimeStage).toMatch(/ENV [^\n]*HTTP_HOST=0\.0\.0\.0/);
    expect(runtimeStage).toMatch(/npm ci --omit=dev|COPY --from=deps \/app\/node_modules/);
    for (const folder of ['dist', 'locales', 'data']) expect(runtimeStage).toMatch(new RegExp(`COPY [^\\n]*${folder}`));
    expect(services.bot!.image).toBe(services.worker!.image);
    expect(services.worker!.command).toEqual(['node', 'dist/src/worker-main.js']);
    for (const name of ['bot', 'worker']) {
      expect(services[name]!.read_only).toBe(true);
      expect(services[name]!.init).toBe(true);
    }
  });

  it('give the worker its own health check and delivery setting, not the bot’s', () => {
    const worker = services.worker!;
    expect(worker.environment?.DELIVERY_IN_PROCESS).toBe('false');
    expect(worker.healthcheck?.test.join(' ')).toContain("b.worker === 'up'");
    expect(worker.healthcheck?.test).not.toEqual(services.bot!.healthcheck?.test);
    expect(worker.profiles).toEqual(['worker']);
  });

  it('terminate HTTPS for the webhook in front of the bot, on a port Telegram posts to', () => {
    const caddy = services.caddy!;
    expect(caddy.image).toMatch(/^caddy:/);
    expect(caddy.ports).toContain('443:443');
    expect(caddy.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    // The bot is reachable only through Caddy.
    expect(services.bot!.ports).toBeUndefined();
    const caddyfile = read('deploy/Caddyfile');
    expect(caddyfile).toMatch(/\{\$KOMEK_DOMAIN\}\s*\{/);
    expect(caddyfile).toMatch(/handle \/telegram\/\* \{\s*reverse_proxy bot:8080/);
    // The example configuration points Telegram at a path Caddy forwards.
    const env = Object.fromEntries(
      read('.env.example')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const webhook = new URL(env.WEBHOOK_URL!);
    expect(webhook.protocol).toBe('https:');
    expect(webhook.hostname).toBe(env.KOMEK_DOMAIN);
    expect(webhook.pathname.startsWith('/telegram/')).toBe(true);
    expect(env.BOT_TOKEN).toMatch(/^\d+:[A-Za-z0-9_-]{30,}$/);
  });
});
