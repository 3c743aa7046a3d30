# syntax=docker/dockerfile:1
#
# One image for every service of the verwijsindex (municipal node, hub, fake
# BRP, SMTP sink). The image starts nothing by itself: each service in
# docker-compose.yml sets its own `command:`, e.g.
#   tsx services/node/src/main.ts
#
# TypeScript runs directly through tsx, which is a devDependency, so the image
# installs all dependencies (`npm ci`, not `npm ci --omit=dev`).

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
# NODE_ENV is not yet production here: npm ci must install the devDependencies (tsx).
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .
# Writable only where the services keep their own state (keys, PGlite when no DATABASE_URL).
RUN mkdir -p /app/.data && chown node:node /app/.data

ENV NODE_ENV=production
# tsx on the PATH: services run as `tsx services/<name>/src/main.ts`. Not `npx tsx`:
# npx does not pass SIGTERM on to its child, so `docker stop` would kill the
# service without its graceful shutdown (closing the database pool, draining
# NATS). tsx itself relays the signal to the service.
ENV PATH=/app/node_modules/.bin:$PATH
USER node

# Nothing specific: every service sets its `command:` (see docker-compose.yml).
CMD ["node", "-e", "console.error('Geen service gekozen: geef een command, bijv. tsx services/node/src/main.ts (zie docker-compose.yml).'); process.exit(64)"]
