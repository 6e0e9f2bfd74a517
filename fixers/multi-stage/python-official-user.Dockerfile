# pip install --user writes under /root/.local, not /usr/local.
FROM python:3.12-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc
WORKDIR /app
COPY requirements.txt .
RUN pip install --user -r requirements.txt
CMD ["python", "-m", "app"]
