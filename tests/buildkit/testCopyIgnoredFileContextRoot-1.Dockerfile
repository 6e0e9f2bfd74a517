
FROM scratch
COPY . .
