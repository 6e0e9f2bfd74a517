# escape=`
FROM alpine:3.20
CMD echo C:\\temp $HOME `
    && echo done
HEALTHCHECK CMD wget -q -O- http://localhost/ `
    || exit 1
