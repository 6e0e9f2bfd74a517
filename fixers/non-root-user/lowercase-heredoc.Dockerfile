from alpine:3.20
run <<EOF
apk add --no-cache python3
EOF
cmd ["python3"]
