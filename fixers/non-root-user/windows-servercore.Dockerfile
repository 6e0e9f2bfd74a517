# Windows images have accounts, not uids: ContainerUser is the one without
# administrator rights. The tag is a variable; the name says Windows.
ARG TAG=ltsc2022
FROM mcr.microsoft.com/windows/servercore:${TAG}
COPY app/ C:/app/
CMD ["C:\\app\\run.exe"]
