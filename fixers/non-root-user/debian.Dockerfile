# Debian-based image: a system user is created, then used.
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

# Start the service.
CMD ["python", "main.py"]
