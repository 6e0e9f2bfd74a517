# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
EXPOSE 80 `
    0.0.0.0:443:443
