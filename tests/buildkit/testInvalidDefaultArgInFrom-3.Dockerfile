
ARG SFX="box:"
FROM busy${SFX}
