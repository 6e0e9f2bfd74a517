# A USER set in the stage the last one is built on carries over: no finding.
FROM debian:bookworm-slim AS base
USER nobody

FROM base
CMD ["app"]
