# The file creates a user but never switches to it.
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --shell /bin/bash appuser
COPY --chown=appuser:appuser . /home/appuser/app
EXPOSE 80
CMD ["/home/appuser/app/run"]
