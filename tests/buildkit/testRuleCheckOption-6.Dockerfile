#check=skip=ConsistentInstructionCasing;error=true
FROM scratch as base
copy Dockerfile .
