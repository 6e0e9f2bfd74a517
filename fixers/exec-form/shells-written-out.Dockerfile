FROM debian:12 AS bash
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
CMD gunicorn -b :$PORT app:app
ENTRYPOINT cd /app && exec ./run

FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
CMD .\openssl.exe genrsa -out /certs/$env:KEY_NAME.key 1024 ; \
    .\openssl.exe req -new -key /certs/$env:KEY_NAME.key
HEALTHCHECK CMD powershell -command try { exit 0 } catch { exit 1 }

FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS cmd
CMD ping -t localhost

FROM debian:12 AS no-c
SHELL ["/bin/bash"]
CMD run $X
