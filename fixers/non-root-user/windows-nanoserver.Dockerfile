# Nano Server runs as ContainerUser already: nothing to do.
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY app/ C:/app/
CMD ["C:\\app\\run.exe"]
