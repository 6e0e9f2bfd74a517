# syntax=docker/dockerfile:1.7
# check=error=true
FROM node:22-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
