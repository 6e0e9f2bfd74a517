FROM debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
COPY . .
RUN npm install && npm run-script build
CMD ["nodejs", "out/app.js"]
