# npm 6 (Node 14) has no --omit=dev: the runtime stage installs with --production.
FROM node:14-buster
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
COPY . .
RUN npm run build
EXPOSE 3000
CMD [ "node", "dist/main.js" ]
