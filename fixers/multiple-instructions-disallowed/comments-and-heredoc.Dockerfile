FROM python:3.12
# The development server
# (for local runs)
CMD python -m http.server

# kept: a blank line separates it

HEALTHCHECK NONE
COPY <<EOF /a.txt
Hello, World!
EOF
HEALTHCHECK --interval=5s \
  CMD curl -f http://localhost/ || exit 1
CMD ["python", "/app/main.py"]
