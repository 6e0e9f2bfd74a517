FROM alpine
CMD nginx -g "daemon off;"
