FROM postgres:16
COPY init.sql /docker-entrypoint-initdb.d/
