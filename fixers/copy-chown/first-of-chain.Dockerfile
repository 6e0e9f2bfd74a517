# The chown is the first command of a longer RUN: only it goes.
FROM debian:bookworm-slim
RUN groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app app
COPY src/ /srv/app/
RUN chown -R app:app /srv/app \
    && ln -s /srv/app/bin/run /usr/local/bin/run
COPY conf/ /etc/app/
RUN chown -R app:app /etc/app; chmod 0600 /etc/app/secret.conf
COPY data/ /var/lib/app/
# A chown after another command is left: it would also change what that
# command wrote.
RUN mkdir -p /var/lib/app/cache && chown -R app:app /var/lib/app
COPY more/ /opt/more/
RUN chown -R app:app /opt/more || true
USER 1001
