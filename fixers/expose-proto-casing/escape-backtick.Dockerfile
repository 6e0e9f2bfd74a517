# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
EXPOSE 80/TCP `
    443/Tcp
