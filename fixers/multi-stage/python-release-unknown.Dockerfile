# The tag does not name the Debian release (python:3.12 moves to the next
# one): the run-time library of libpq-dev (libpq5) cannot be named.
FROM python:3.12
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev gcc
RUN pip install --no-cache-dir psycopg2
CMD ["python", "-c", "import psycopg2"]
