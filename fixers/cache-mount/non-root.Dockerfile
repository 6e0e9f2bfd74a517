FROM python:3.12
RUN useradd --create-home app
USER app
RUN pip install --user --no-cache-dir requests
USER root
RUN pip install --no-cache-dir httpx
