# syntax=docker/dockerfile:1
ARG NODE_IMAGE=node:24-trixie-slim

# Build: dev dependencies and the TypeScript compiler.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Runtime: compiled output and production dependencies, as the unprivileged node user.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
USER node
EXPOSE 3000
# No curl in slim images: Node's own fetch asks /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly, not npm: SIGTERM reaches the server, which drains and exits 0.
# Node's flags are `npm start`'s: the young generation capped and floored, V8's threads capped, and gc() for
# the rasteriser and for giving memory back at rest (README, "Memory").
CMD ["node", "--max-semi-space-size=16", "--min-semi-space-size=8", "--v8-pool-size=2", "--expose-gc", "dist/server.js"]
