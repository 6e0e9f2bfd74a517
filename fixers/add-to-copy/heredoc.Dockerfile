# syntax=docker/dockerfile:1
FROM alpine
ADD <<EOT /etc/motd
ADD a.txt /a
EOT
ADD a.txt /a
RUN <<EOF
ADD b.txt /b
EOF
# A here-document after a command word, and two on one line: their bodies are
# file contents, not instructions, and stay as they are.
RUN cat <<EOF > /etc/build.Dockerfile && sh -c 'cat >&3' 3<<'TWO'
ADD app.py /app/
EOF
ADD more.py /app/
TWO
ADD app.py /app/
