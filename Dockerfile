# surveystream: one image for every role (gateway, worker, monitor, archiver, trainer) and the
# one-shot operations (migrate, streams apply). Run as `docker run IMAGE <command>`; deploy/README.md.
#
# No build step: bin/surveystream.mjs runs the TypeScript sources through tsx at run time, so the
# image holds the source tree and the production node_modules.
#
# Production dependencies are external (NATS_URL, CLICKHOUSE_URL, OBJECT_STORE_URL), so the image has
# no nats-server. The embedded mode (`dev`, NATS_URL unset) starts a `nats-server -js` child and would
# need one on PATH (e.g. `apt-get install nats-server`); it is not meant to run in this image.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    SURVEYSTREAM_DATA_DIR=/var/lib/surveystream

WORKDIR /app

# Dependencies first, so the layer is reused while only sources change. stubs/ must be present:
# package.json overrides chdb's macOS and linux-arm64 platform packages to stubs/empty.
#
# --omit=dev: every package that src/ and bin/ import at run time is a dependency, tsx included
# (test/unit/deploy/manifests.test.ts checks it; the only devDependency import, prettier, is in
# src/validate/render-docs.ts, a docs generator never loaded by a role).
#
# --ignore-scripts: package.json's allowScripts denies every install script the tree has
# (onnxruntime-node, chdb, esbuild, protobufjs; its CPU binaries ship in the package), but only
# npm >= 11 reads allowScripts and this base image has npm 10, which would run them.
COPY package.json package-lock.json ./
COPY stubs ./stubs
#
# chDB's native library (@chdb/lib-*, ~540 MB) is removed: it serves only the embedded mode
# (CLICKHOUSE_URL unset), which this image is not for; without it, a role started without
# CLICKHOUSE_URL stops with "embedded ClickHouse (chDB) is not installed here ... set CLICKHOUSE_URL".
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && rm -rf node_modules/@chdb \
    && npm cache clean --force

# What a role reads at run time: the CLI and sources, the gRPC contract (reflection), the stream and
# consumer specs (streams apply), the ClickHouse migrations (migrate) and the baseline model
# (MODEL_PATH). tsconfig.json carries the compile options tsx honours.
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY proto ./proto
COPY streams ./streams
COPY deploy/clickhouse ./deploy/clickhouse
COPY models ./models

# Files stay root-owned and read-only for the runtime user; only the data dir (spool, temp files) is
# writable. tsx keeps its transform cache under /tmp.
RUN mkdir -p /var/lib/surveystream \
    && chown node:node /var/lib/surveystream

# uid 1000, the base image's unprivileged user (Kubernetes manifests pin runAsUser: 1000).
USER node

# gRPC (GRPC_PORT) and the operator endpoint /metrics /livez /readyz /health (HTTP_PORT). Both bind
# 127.0.0.1 by default: set GRPC_HOST=0.0.0.0 and HTTP_HOST=0.0.0.0 in a container.
EXPOSE 50051 9464

ENTRYPOINT ["node", "bin/surveystream.mjs"]
CMD ["--help"]
