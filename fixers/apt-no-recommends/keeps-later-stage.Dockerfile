# The stage built on the install's stage clones over ssh: git's recommend
# openssh-client is kept there. A stage of its own that only uses git
# locally keeps nothing.
FROM debian:bookworm-slim AS tools
RUN apt-get update && apt-get install -y git

FROM debian:bookworm-slim AS other
RUN apt-get update && apt-get install -y git
RUN git init /repo

FROM tools
RUN --mount=type=ssh git clone git@github.com:example/private.git /src
