FROM python:3.12-slim
# BuildKit removes the quotes and escapes: these copy secrets too.
COPY ".env" /app/
COPY 'certs/server.key' /etc/ssl/private/
COPY ["config/.npmrc", "/root/"]
ADD \.env.production /app/
# Not secrets once read: a quoted example file, a public key.
COPY ".env.example" 'id_ed25519.pub' /app/
