# pip install --user writes under the home folder, not /usr/local.
FROM debian:bookworm
RUN apt-get update && apt-get install -y python3-pip python3-dev gcc
RUN pip install --user --break-system-packages psycopg2
CMD ["python3", "-c", "import psycopg2"]
