FROM debian:12
# BuildKit removes the quotes: these are archives that ADD unpacks.
ADD "file.tgz" /usr/src/app/
ADD 'file.tar.gz' /x/
ADD ["'dist.tar.xz'", "/x/"]
ADD app\.tgz /x/
ADD "https://example.com/tool" /usr/local/bin/
# Quoted plain files are copies.
ADD "requirements.txt" /app/
ADD 'conf/nginx.conf' "/etc/nginx/"
add ["settings.py", "/app/"]
# Single quotes keep a dollar sign; double quotes expand it.
ADD '$HOME.txt' /x/
ADD "${SRC}" /x/
