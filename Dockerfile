# syntax=docker/dockerfile:1
# LogCellar image: built on the official Swift image, run on Debian slim with only the shared
# libraries the binary links (SQLite, zlib, PCRE2, snappy). The Swift runtime is linked statically.
#
#   docker build -t logcellar .
#   docker run -p 3100:3100 -v logcellar-data:/data logcellar
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       libsqlite3-dev zlib1g-dev libpcre2-dev libsnappy-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so source edits do not refetch them (Package.resolved is optional).
COPY Package.* ./
RUN swift package resolve
COPY Sources ./Sources
# SwiftPM checks every target's folder exists, test targets included.
COPY Tests ./Tests
RUN swift build -c release --product logcellar --static-swift-stdlib \
    && install -D "$(swift build -c release --show-bin-path)/logcellar" /out/logcellar \
    && strip /out/logcellar

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       libsqlite3-0 zlib1g libpcre2-8-0 libsnappy1v5 tini tzdata ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 logcellar \
    && useradd --system --uid 10001 --gid logcellar --home-dir /data --shell /usr/sbin/nologin logcellar \
    && install -d -o logcellar -g logcellar -m 0750 /data
COPY --from=build /out/logcellar /usr/local/bin/logcellar
COPY parsers /etc/logcellar/parsers
USER logcellar:logcellar
WORKDIR /data
VOLUME ["/data"]
EXPOSE 3100
# tini forwards SIGTERM/SIGINT to logcellar, which then stops accepting, drains requests and closes the
# store cleanly, and reaps any child; give it the grace period in `docker stop -t` / compose.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/3100 && printf 'GET /ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/logcellar"]
CMD ["serve", "--listen", "0.0.0.0:3100", "--data-dir", "/data"]
