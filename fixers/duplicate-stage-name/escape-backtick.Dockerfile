# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS a
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 `
    AS a
