# syntax=docker/dockerfile:1
# One image recipe for every deployable workspace; pick it with the APP build arg, e.g.
#   docker build --build-arg APP=services/ingestion -t tunegraph/ingestion .
#   docker build --build-arg APP=gateway -t tunegraph/gateway .
# The whole monorepo is built (Turborepo) because services import workspace packages through their
# compiled dist/ folders; the runtime stage keeps production dependencies only.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG APP
# Match the npm that wrote package-lock.json (package.json "packageManager").
RUN npm install -g --no-audit --no-fund npm@11.19.1
ENV TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
WORKDIR /app
COPY . .
RUN test -n "$APP" && test -f "$APP/package.json" \
    || { echo "build arg APP must name a workspace folder with a package.json (got '$APP')" >&2; exit 1; }
RUN npm ci --no-audit --no-fund
RUN npm run build && test -f "$APP/dist/main.js" \
    || { echo "$APP/dist/main.js was not built" >&2; exit 1; }
# Workspaces are symlinked from node_modules and resolve to their dist/ folders, so the folders stay;
# only development dependencies go.
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production APP=${APP}
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
# Services report readiness on HTTP_PORT, the gateway on PORT.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || process.env.PORT) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["sh", "-c", "exec node \"/app/$APP/dist/main.js\""]
