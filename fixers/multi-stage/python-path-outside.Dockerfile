# A tool under /opt on PATH, which the runtime stage would not copy.
FROM python:3.12-bookworm
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \
    && rm -rf /var/lib/apt/lists/*
ENV PATH=/opt/tools/bin:$PATH
RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir psycopg2
CMD ["/opt/venv/bin/python", "-m", "app"]
