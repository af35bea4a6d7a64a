# syntax=docker/dockerfile:1
# cloudspot-server in a container: one static binary on an empty image, run
# as an unprivileged user, with the SQLite database on a volume and a
# healthcheck that needs no shell. Run it with a read-only root file system:
#
#   docker build -t cloudspot-server .
#   docker run -d --name cloudspot --read-only -p 127.0.0.1:8000:8000 -v cloudspot-data:/data cloudspot-server
#
# docs/deploy.md has the rest (a reverse proxy for TLS, PostgreSQL with two
# servers: deploy/compose.yaml).

FROM golang:1.26 AS build
WORKDIR /src
# The modules first: a change in the code does not download them again.
COPY go.mod go.work go.work.sum ./
COPY toolkit/go.mod toolkit/go.sum toolkit/
RUN cd toolkit && go mod download
COPY . .
# The release's tag, printed by cloudspot-server --version.
ARG VERSION=devel
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/cloudspot-toolkit/cloudspot/toolkit/internal/version.tag=${VERSION}" -o /out/cloudspot-server ./toolkit/cmd/cloudspot-server
RUN mkdir -p /out/data

FROM scratch
# For PostgreSQL over TLS (sslmode=verify-full).
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/cloudspot-server /cloudspot-server
# The volume's mount point, owned by the user the server runs as.
COPY --from=build --chown=65532:65532 --chmod=0700 /out/data /data
USER 65532:65532
WORKDIR /data
# Every flag of serve has its variable (CLOUDSPOT_ and the flag's name);
# SQLite's temporary files go to the volume, the only place it may write.
ENV CLOUDSPOT_ADDR=0.0.0.0:8000 \
    CLOUDSPOT_DB=/data/cloudspot.db \
    CLOUDSPOT_LOG_FORMAT=json \
    TMPDIR=/data
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/cloudspot-server", "healthcheck"]
ENTRYPOINT ["/cloudspot-server"]
CMD ["serve"]
