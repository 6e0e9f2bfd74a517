# A reference before the stage is an image, not the stage.
FROM alpine:3.20 AS base
COPY --from="Builder" /x /x
FROM base AS Builder
ONBUILD COPY --from=Builder /y /y
FROM BUILDER
COPY --from=builder /z /z
