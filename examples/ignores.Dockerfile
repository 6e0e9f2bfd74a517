FROM alpine:3.20
# Kept as ADD on purpose: the build context is fetched by a tool that needs it.
# dockerfix ignore=add-to-copy
ADD vendor/ /opt/vendor/
# hadolint ignore=DL3018,DL4000
MAINTAINER ops@example.com
# dockerfix ignore=exec-form
COPY run.sh /run.sh
USER nobody
