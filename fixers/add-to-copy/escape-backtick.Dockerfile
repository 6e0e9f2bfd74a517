# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ADD app.exe C:\app\
ADD --chown=ContainerUser `
    config.json `
    C:\app\
ADD https://example.com/setup.msi C:\setup.msi
