# The image ships a `node` user; the last stage ends as root.
FROM node:20-alpine AS deps
COPY package.json .
RUN npm ci

FROM node:20-alpine
COPY --from=deps node_modules node_modules
USER root
CMD ["node", "server.js"]
