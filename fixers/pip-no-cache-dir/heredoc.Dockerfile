# syntax=docker/dockerfile:1
FROM python:3.12
RUN <<EOF
set -e
pip install -r requirements.txt
EOF
