FROM node:22
RUN npm ci \
    && npm run build
