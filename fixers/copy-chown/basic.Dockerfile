FROM python:3.12-slim
RUN useradd --system app
# Safe: nothing before the copy creates /srv/app.
COPY src/ /srv/app/
RUN chown -R app:app /srv/app
ENV PYTHONUNBUFFERED=1

# Unsafe: WORKDIR created /app before, owned by root; chown -R changed it too.
WORKDIR /app
COPY . .
RUN chown -R app:app .

# Unsafe: not recursive (a copied folder would differ).
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
RUN chown app /usr/local/bin/entrypoint.sh

# Unsafe: no group; `--chown=app` would set the group with the uid's number.
COPY static/ /static/
RUN chown -R app /static

# Left alone: another path, variables, something written between. The chain
# loses its chown (unsafe: no group).
COPY conf/ /etc/app/
RUN chown -R app /etc/app/conf.d
COPY data/ /data/
RUN chown -R app /data && chmod -R 700 /data
COPY more/ /more/
RUN chown -R $APP_USER /more
COPY logs/ /logs/
RUN mkdir -p /logs/archive
RUN chown -R app /logs
CMD ["python", "-m", "app"]
