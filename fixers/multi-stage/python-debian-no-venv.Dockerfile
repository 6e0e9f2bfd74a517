# Debian's Python without a venv: pip installs into /usr/local, copied whole.
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip python3-dev gcc
RUN pip install --break-system-packages psycopg2
CMD ["python3", "-c", "import psycopg2"]
