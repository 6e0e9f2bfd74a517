# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
CMD cmd /c `
    echo one
CMD ["cmd", "/c", "echo two"]
