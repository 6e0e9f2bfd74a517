# A PowerShell SHELL says Windows although the image is a variable;
# ContainerAdministrator counts as root.
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime:8.0
FROM ${BASE_IMAGE}
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN New-Item -ItemType Directory C:/data
USER ContainerAdministrator
ENTRYPOINT ["dotnet", "C:/app/app.dll"]
