# syntax=docker/dockerfile:1
# Habeas: multi-stage build. Stage 1 builds the web client (when web/ has one),
# stage 2 the static Go binary, stage 3 is the slim runtime with only what runs.

FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY web/ web/
RUN mkdir -p internal/webui/dist/app && \
    if [ -f web/package.json ]; then cd web && npm ci && npm run build; fi

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/internal/webui/dist/app/ internal/webui/dist/app/
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/habeas ./cmd/habeas

FROM debian:bookworm-slim
# ca-certificates for TLS to PostgreSQL/S3; fonts for PDF dossiers (Latin + CJK; docs/dossier.md);
# postgresql-client (pg_dump/pg_restore 15) for `habeas backup` and `habeas restore`
# on PostgreSQL: the client must be at least the server's major version (see docs/operations.md).
RUN apt-get update && \
    apt-get install -y --no-install-recommends ca-certificates fonts-dejavu-core fonts-droid-fallback postgresql-client && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 10001 habeas && \
    useradd --system --uid 10001 --gid habeas --home-dir /data --shell /usr/sbin/nologin habeas && \
    mkdir -p /data && chown habeas:habeas /data && chmod 0700 /data
COPY --from=build /out/habeas /usr/local/bin/habeas
USER 10001:10001
ENV HABEAS_ADDR=0.0.0.0:8080 \
    HABEAS_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/habeas", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/habeas"]
CMD ["serve"]
