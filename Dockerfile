# The exchange image: `serve` by default; the scheduled ECS task overrides the command with `ingest`.
# Build: docker buildx build (or buildah/podman) --build-arg VERSION=… --build-arg REVISION=… --build-arg CREATED=…
#        --build-arg SBOM_DIGEST=sha256:… .   (SBOM_DIGEST: what `sh ci/sbom.sh <file>` printed for this lock file)
# NODE_IMAGE is the official Node 24 LTS slim image pinned by exact version and by the digest of its image
# index as recorded by docker-library/repo-info (repos/node/remote/24.19.0-bookworm-slim.md at commit
# 5f3f81e22e77b72a6892690f94872a5f01e87bea). To move to a newer 24.x, change both, taking the digest
# from `docker buildx imagetools inspect node:<version>-bookworm-slim` or that repository.
# Local builds without registry access override it (test/delivery/container/: a debootstrap stand-in).
ARG NODE_IMAGE=docker.io/library/node:24.19.0-bookworm-slim@sha256:ccd0612136f105d59d7266585b0bff88016e3da94c8ebfc8ad1154b529f59e7b

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund --ignore-scripts
# The whole context: .dockerignore keeps out tests, state, env files and build output, and tsc follows
# imports, so a new source folder needs no edit here.
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund --ignore-scripts

FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=1970-01-01T00:00:00Z
ARG SOURCE=https://gitlab.com/exchange/exchange-bluegreen
# The CycloneDX SBOM of node_modules below; the release keeps that document under this digest.
ARG SBOM_DIGEST=none
LABEL org.opencontainers.image.title="exchange" \
      org.opencontainers.image.description="Daily stock-exchange data: ingest to S3 and the site service" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.created="${CREATED}" \
      exchange.sbom.digest="${SBOM_DIGEST}"
ENV NODE_ENV=production \
    EXCHANGE_VERSION=${VERSION} \
    EXCHANGE_COMMIT=${REVISION} \
    PORT=8080
WORKDIR /app
# Files stay root-owned: the app user can run the code but not rewrite it.
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY bin bin
USER node
EXPOSE 8080
# node is PID 1 and handles SIGTERM itself (drains, exits 0); on ECS also set initProcessEnabled.
ENTRYPOINT ["node", "bin/exchange.js"]
CMD ["serve"]
