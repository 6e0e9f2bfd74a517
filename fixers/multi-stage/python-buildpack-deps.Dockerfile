FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y python3-pip python3-dev
RUN pip install --break-system-packages lxml
CMD ["python3", "-c", "import lxml"]
