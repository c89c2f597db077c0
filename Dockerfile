# syntax=docker/dockerfile:1
# Komek: one image for the bot (default command) and the lone delivery worker
# (`node dist/src/worker-main.js`). Built and type-checked in one stage, run with production
# dependencies only, as the unprivileged `node` user, on files it cannot change.

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scenes ./scenes
COPY scripts ./scripts
# tsc fails the build on any type error, so a broken image is never produced.
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Exactly what the release smoke test (test/release/) installs and starts.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
# HTTP_HOST: inside a container the health check and the reverse proxy reach the process from
# outside its loopback, so it listens on every interface of the container's own network.
ENV NODE_ENV=production HTTP_HOST=0.0.0.0 HTTP_PORT=8080
WORKDIR /app
# Owned by root and not writable by `node`: a compromised process cannot change the code it runs.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY locales ./locales
COPY data ./data
RUN chmod -R a+rX,go-w /app
USER node
EXPOSE 8080
# Both the bot and the worker serve GET /healthz on HTTP_PORT, each reporting what it depends on
# (the bot: Redis and the database; the worker: the worker itself, Redis and the database).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node handles SIGTERM itself (graceful shutdown in src/bootstrap.ts); compose adds an init
# process (`init: true`) that forwards signals and reaps children.
CMD ["node", "dist/src/main.js"]
