FROM node:22
RUN npm ci
RUN npm install -g pnpm && npm cache clean --force
RUN npm cache clean --force && npm install
RUN yarn install --frozen-lockfile
RUN yarn add left-pad && yarn cache clean && yarn build
RUN npm run build
