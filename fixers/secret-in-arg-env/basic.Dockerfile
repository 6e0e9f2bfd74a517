FROM node:20
# Suspicious names: reported without their values.
ARG NPM_TOKEN=npm_0123456789abcdef
ENV DB_PASSWORD=hunter2 \
    APP_PORT=8080
ENV API_KEY legacy form value
# Not secrets: a file path, a public key, a version, a GPG fingerprint.
ENV DB_PASSWORD_FILE=/run/secrets/db PUBLIC_KEY=/keys/pub.pem NODE_VERSION=20 GPG_KEY=ABCD1234
COPY .env /app/.env
COPY .env.example id_rsa.pub package.json /app/
COPY certs/server.key /etc/ssl/private/
COPY --from=build /out/.npmrc /app/
ADD .aws /root/.aws
