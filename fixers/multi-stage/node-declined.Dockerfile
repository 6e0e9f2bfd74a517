# The build's output cannot be known: no build context, and CMD runs a
# file at the top of the source tree. Reported, not fixed.
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build
CMD ["node", "server.js"]
