FROM node:20
COPY --link package.json /home/node/app/
run chown -R node:node \
    /home/node/app/
CMD ["node"]