FROM python:3.12-slim
RUN useradd --system app
# BuildKit removes the quotes: the destination is /srv/app.
COPY "src/" '/srv/app/'
RUN chown -R app:app /srv/app
COPY ["static/", "/static/"]
RUN chown -R app:app /static
# A variable in the destination: left alone.
COPY conf/ "$CONF_DIR"
RUN chown -R app:app /etc/app
