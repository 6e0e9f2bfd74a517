FROM node:20
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile && yarn cache clean
COPY . .
RUN yarn build
# Yarn 2+ keeps its cache in the project: left alone.
FROM node:20 AS berry
RUN corepack enable && yarn install --immutable
