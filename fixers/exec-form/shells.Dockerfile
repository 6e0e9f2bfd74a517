# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
CMD ping -t localhost

FROM alpine AS base
SHELL ["pwsh", "-Command"]
CMD Write-Host hello

FROM base AS final
CMD Write-Host inherited

FROM alpine AS posix
CMD busybox httpd -f `
    -p 8080
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
CMD nginx
SHELL ["powershell", "-Command"]
CMD Get-Date
