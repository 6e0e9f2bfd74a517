FROM node:20
CMD node \
    --enable-source-maps \
    server.js
ENTRYPOINT ["tini", "--"]
CMD npm \
    # start without the dev server
    run start
