# syntax=docker/dockerfile:1
#
# One image for every service of the verwijsindex (municipal node, hub, fake
# BRP, SMTP sink). The image starts nothing by itself: each service in
# docker-compose.yml sets its own `command:`, e.g.
#   node --enable-source-maps dist/node/main.mjs
#
# The services run as bundles (docs/adr/0041): `npm run build:services` (esbuild)
# makes dist/<service>/main.mjs here, with node_modules left external, so dist/
# stays beside node_modules/ in /app. The image installs all dependencies
# (`npm ci`, not `npm ci --omit=dev`): esbuild builds the bundles, and tsx runs
# the provisioning script (`tsx scripts/nats.ts provision`) and the CLIs
# (`npm run hub:rebuild`, `npm run pseudoniem:roteer`).

# Stage 1: only the package manifests, with their paths, so the dependency
# layer below is rebuilt only when a package.json or the lock file changes.
FROM node:24-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -path ./node_modules -prune -o \( -name package.json -o -name package-lock.json \) -print \
    | xargs cp --parents -t /manifests

# Stage 2: the runtime image.
FROM node:24-bookworm-slim
WORKDIR /app

COPY --from=manifests /manifests/ ./
# NODE_ENV is not yet production here: npm ci must install the devDependencies (esbuild, tsx).
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .
# The services' bundles, dist/<service>/*.mjs (read-only for the services' user, like the rest of /app).
RUN npm run build:services
# Writable only where the services keep their own state (keys, PGlite when no DATABASE_URL).
RUN mkdir -p /app/.data && chown node:node /app/.data

ENV NODE_ENV=production
# Services run with node itself as the command (`node --enable-source-maps dist/<name>/main.mjs`), never
# through npx or npm: those do not pass SIGTERM on to their child, so `docker stop` would kill the service
# without its graceful shutdown (closing the database pool, draining NATS). tsx on the PATH for the
# provisioning script and the CLIs (`tsx scripts/nats.ts provision`; tsx relays the signal too).
ENV PATH=/app/node_modules/.bin:$PATH
USER node

# Nothing specific: every service sets its `command:` (see docker-compose.yml).
CMD ["node", "-e", "console.error('Geen service gekozen: geef een command, bijv. node --enable-source-maps dist/node/main.mjs (zie docker-compose.yml).'); process.exit(64)"]
