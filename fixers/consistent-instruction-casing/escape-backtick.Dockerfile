# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
Run powershell -Command `
    Write-Host hi
COPY a C:/a
