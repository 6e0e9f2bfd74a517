# escape=`
FROM --platform=$TARGETPLATFORM `
    mcr.microsoft.com/windows/nanoserver:ltsc2022
