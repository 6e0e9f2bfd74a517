FROM alpine:3.20
run <<EOF
RUN inside the heredoc stays
EOF
COPY a /a
COPY b /b
