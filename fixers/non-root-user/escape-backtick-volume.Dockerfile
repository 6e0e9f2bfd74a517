# escape=`
# A JSON VOLUME of two folders; a lowercase file.
from ubuntu:24.04
run apt-get update && `
    apt-get install -y --no-install-recommends python3 && `
    rm -rf /var/lib/apt/lists/*
workdir /app
copy . .
volume ["/app/state", "/var/cache/app"]
cmd ["python3", "main.py"]
