FROM alpine:3.20
# warning: empty continuation line
COPY Dockerfile \

.
COPY Dockerfile \
.
RUN apk add --no-cache \
    # a comment line is fine
    curl \

    
    git
