#check=skip=ConsistentInstructionCasing
FROM scratch as base
copy Dockerfile .
