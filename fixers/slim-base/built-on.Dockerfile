# A stage built on another counts with it: the child compiles.
FROM python:3.12 AS base
COPY requirements.txt .

FROM base AS build
RUN gcc -o /hello hello.c
