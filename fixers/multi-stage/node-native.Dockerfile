# Build tools for native modules: the runtime stage's `npm ci --omit=dev`
# would have none, so no fix.
FROM node:20
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
CMD ["node", "dist/index.js"]
