# `npm start` runs a script of package.json, which cannot be read without
# the build context: reported, not fixed.
FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
CMD ["npm", "start"]
