FROM node:20
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --include=dev
COPY . .
RUN npm run build
USER node
EXPOSE 3000
CMD ["node", "dist/index.js"]
