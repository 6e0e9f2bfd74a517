FROM alpine:3.20
RUN apk add --no-cache python3 gcc musl-dev python3-dev libffi-dev
RUN python3 -m venv /venv
COPY . /app
RUN /venv/bin/pip install /app
CMD ["/venv/bin/python", "-m", "app"]
