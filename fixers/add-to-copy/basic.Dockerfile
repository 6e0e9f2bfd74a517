FROM debian:bookworm-slim
# Plain local files and folders: COPY does the same.
ADD requirements.txt /app/
ADD src/ /app/src/
ADD --chown=app:app --chmod=644 --link config.yaml /etc/app/
ADD ["file with spaces.txt", "/app/"]
ADD a.txt b.txt /app/
ADD *.conf /etc/app/
add lowercase.txt /app/
ONBUILD ADD . /app/src
# ADD does more here: left alone.
ADD https://example.com/tool.bin /usr/local/bin/tool
ADD git@github.com:moby/buildkit.git /src
ADD https://github.com/moby/buildkit.git#v0.12 /src
ADD rootfs.tar.xz /
ADD vendor.tgz /opt/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a /a
ADD --keep-git-dir=true https://github.com/moby/buildkit.git /src
# Not knowable from the text: reported, not fixed.
ADD $ARTIFACT /app/
ADD dist/* /app/
