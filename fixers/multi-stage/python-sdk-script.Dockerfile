# An SDK installed by a downloaded script under /root, on PATH: the
# runtime stage would not have it, so there is no fix.
FROM python:3.12-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl build-essential \
    && curl -sSL https://sdk.example.com/install.sh | bash -s -- --disable-prompts \
    && rm -rf /var/lib/apt/lists/*
ENV PATH="/root/example-sdk/bin:${PATH}"
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["gunicorn", "app:app"]
