FROM python:3.12
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev gcc
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]
