# The official image: pip installs into /usr/local, copied whole.
FROM python:3.12-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev gcc
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
