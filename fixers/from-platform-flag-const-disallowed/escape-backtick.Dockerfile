# escape=`
FROM --platform=windows/amd64 `
    mcr.microsoft.com/windows/nanoserver:ltsc2022
