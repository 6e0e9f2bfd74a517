# A RUN that creates a user stays a step of its own (reported, not joined);
# two RUNs that both create users or groups are joined.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN groupadd --gid 1001 app && useradd --no-log-init --uid 1001 --gid app --no-create-home --shell /usr/sbin/nologin app
USER 1001:1001

FROM alpine:3.20
RUN addgroup -S svc
RUN adduser -S -D -H -G svc svc
