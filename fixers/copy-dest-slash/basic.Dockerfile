FROM node:20
WORKDIR /app
COPY package.json package-lock.json /app
COPY --chown=node:node src lib .
COPY ["tsconfig.json", "babel.config.js", "/app"]
COPY a.txt b.txt "/srv/data"
COPY a.txt b.txt '/srv/data'
ADD one.txt two.txt /opt/
ADD one.txt two.txt ${TARGET_DIR}
copy x y /lower
COPY a b \
    /multi/line
# One source, or already a folder: nothing to do.
COPY package.json /app
COPY *.json /app
COPY a b /app/
